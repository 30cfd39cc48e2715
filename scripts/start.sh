#!/usr/bin/env bash
# npm start: install what is missing, build, and run Tessera on http://localhost:${PORT:-8080}.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/tools.sh
install_and_build
echo "==> starting Tessera (data in ${TESSERA_DB:-./data/tessera.db})"
exec node apps/server/dist/main.js
