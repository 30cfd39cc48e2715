#!/usr/bin/env bash
# npm test: install what is missing (pnpm, Debian's chromium), build, and run every test:
# unit and HTTP (vitest), then end-to-end in a real browser (Playwright).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/tools.sh
if [ -z "${CHROMIUM_PATH:-}" ] && [ ! -x /usr/bin/chromium ]; then
  echo "==> installing Debian's chromium for the end-to-end tests"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
install_and_build
echo "==> unit and HTTP tests"
pnpm test:unit
echo "==> end-to-end tests"
pnpm e2e
