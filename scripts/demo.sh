#!/usr/bin/env bash
# Set up, write the synthetic register to data/demo/ and build the 2023 report, all scopes.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
.venv/bin/kaa-report synth --out data/demo
.venv/bin/kaa-report build --data data/demo --year "${YEAR:-2023}" --scope all
