#!/usr/bin/env bash
# npm test: install what is missing (pnpm, Debian's chromium and nginx), build, lint, check the
# formatting and the console's JavaScript budget per page, and run every test: unit and HTTP
# (vitest, with a throwaway PostgreSQL and nginx for the multi-node tests), then end-to-end in a
# real browser (Playwright).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/tools.sh
# The browser for Playwright, curl for the README's commands, and nginx as the load balancer in front
# of several nodes come from Debian. (PostgreSQL's binaries come with pnpm install.)
missing=()
[ -n "${CHROMIUM_PATH:-}" ] || [ -x /usr/bin/chromium ] || missing+=(chromium)
command -v curl >/dev/null || missing+=(curl)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> installing ${missing[*]} from Debian"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
install_and_build
echo "==> lint"
if ! pnpm lint; then
  echo "npm test: lint found the problems above. pnpm lint --fix fixes those it can; eslint.config.js says why each rule is on." >&2
  exit 1
fi
echo "==> format check"
if ! pnpm format:check; then
  echo "npm test: the files above are not formatted as .prettierrc.json says. pnpm format formats them." >&2
  exit 1
fi
echo "==> console bundle budget"
if ! node scripts/check-bundle.mjs; then
  echo "npm test: a console page loads more JavaScript than its budget (table above). docs/architecture.md (Console) says how pages are split; node scripts/check-bundle.mjs measures again after pnpm build." >&2
  exit 1
fi
# One PostgreSQL for the whole run unless one is given; stopped and removed however the run ends.
if [ -z "${TESSERA_TEST_DATABASE_URL:-}" ]; then
  echo "==> starting a throwaway PostgreSQL"
  pg_env="$(node scripts/throwaway-postgres.mjs start)"
  case "$pg_env" in
    TESSERA_TEST_DATABASE_URL=postgres://*) export "$pg_env" ;;
    *) echo "unexpected output from throwaway-postgres.mjs: $pg_env" >&2; exit 1 ;;
  esac
  trap 'node scripts/throwaway-postgres.mjs stop "$TESSERA_TEST_DATABASE_URL" || true' EXIT
  # A signal ends the script through exit, so the EXIT trap above runs for it too.
  trap 'exit 130' INT
  trap 'exit 143' TERM
fi
echo "==> unit and HTTP tests"
pnpm test:unit
echo "==> end-to-end tests"
pnpm e2e
