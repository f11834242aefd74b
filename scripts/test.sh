#!/usr/bin/env bash
# The project's one test command (README: Development). On a fresh Debian machine as root it sets up
# everything it needs: node modules, two Docker engines + buildx + registry (scripts/setup-real-parts.sh),
# a Node 24 binary for the runtime check; then lints (code, format, workflows), checks dist/, runs the unit
# suite, and the end-to-end suite once per engine: dockerd 26 with the classic image store, then with the
# containerd image store.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n=== %s\n' "$*"; }

step "node modules"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

step "real parts: Docker engines (classic and containerd image store), buildx, registry"
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

# Both engines even when the first fails (IEB_ENGINES="containerd" runs one); fails if either failed.
failed=()
for IEB_ENGINE in ${IEB_ENGINES:-classic containerd}; do
  DOCKER_HOST="$(bash scripts/engine-host.sh "$IEB_ENGINE")"
  export IEB_ENGINE DOCKER_HOST
  step "end-to-end tests on engine \"$IEB_ENGINE\" (DOCKER_HOST=$DOCKER_HOST; bundled dist/, real BuildKit, real registry)"
  npm run test:e2e || failed+=("$IEB_ENGINE")
done
if [ "${#failed[@]}" -gt 0 ]; then
  printf '\nend-to-end suite failed on engine(s): %s\n' "${failed[*]}" >&2
  exit 1
fi
