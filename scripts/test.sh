#!/usr/bin/env bash
# npm test: install what is missing (pnpm, Debian's chromium), build, and run every test:
# unit and HTTP (vitest), then end-to-end in a real browser (Playwright).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/tools.sh
# The browser for Playwright, and curl for the README's commands, come from Debian.
missing=()
[ -n "${CHROMIUM_PATH:-}" ] || [ -x /usr/bin/chromium ] || missing+=(chromium)
command -v curl >/dev/null || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> installing ${missing[*]} from Debian"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
install_and_build
echo "==> unit and HTTP tests"
pnpm test:unit
echo "==> end-to-end tests"
pnpm e2e
