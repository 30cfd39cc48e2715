# Sourced by start.sh and test.sh: makes a fresh machine (Node and npm only) ready to build Tessera.
export TURBO_TELEMETRY_DISABLED=1
# better-sqlite3 compiles here; node-gyp must use the installed Node headers instead of downloading them.
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then export npm_config_nodedir=/usr; fi

# The pinned version comes from the repository's package.json, wherever this file is sourced from.
PNPM_VERSION="$(node -p 'require(process.argv[1]).packageManager.split("@")[1]' "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/package.json")"
if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  echo "==> installing pnpm $PNPM_VERSION"
  npm install -g -E "pnpm@$PNPM_VERSION" >/dev/null 2>&1 || true
fi
if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  # No global install (no permission): run the pinned pnpm through npx instead.
  pnpm() { npx --yes "pnpm@$PNPM_VERSION" "$@"; }
fi

install_and_build() {
  echo "==> installing dependencies"
  pnpm install --frozen-lockfile
  echo "==> building"
  pnpm build
}
