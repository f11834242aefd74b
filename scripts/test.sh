#!/usr/bin/env bash
# The project's one test command (README: Development). On a fresh Debian machine as root it sets up
# everything it needs: node modules, Docker engine + buildx + registry (scripts/setup-real-parts.sh),
# a Node 24 binary for the runtime check; then lints (code, format, workflows), checks dist/, runs the unit and
# end-to-end suites.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n=== %s\n' "$*"; }

step "node modules"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

step "real parts: Docker engine, buildx, registry"
bash scripts/setup-real-parts.sh

step "Node 24 (the runtime action.yml declares)"
NODE24_BIN="$(bash scripts/node24.sh)"
export NODE24_BIN
"$NODE24_BIN" --version

step "lint (ESLint, type-aware) and format (Prettier)"
npm run lint
npm run format:check

step "workflow lint"
bash scripts/lint-workflows.sh

step "dist/ is a fresh build of src/"
bash scripts/check-dist.sh

step "unit tests"
npm run test:unit

step "end-to-end tests (bundled dist/, real BuildKit, real registry)"
npm run test:e2e
