#!/usr/bin/env bash
# npm run bench (issue #4, part 1): what the action costs on top of a bare `docker buildx build --push`,
# on the same real parts as the e2e suite. Sets up what it needs on a fresh Debian machine (node modules;
# Docker engine, buildx, registry and busybox via setup-real-parts.sh), then runs bench/bench.ts.
# Arguments go to it:  npm run bench -- --pairs 3
# npm run bench:upload runs bench/upload.ts instead (issue #11: own upload vs engine push, cache: ecr).
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
bash scripts/setup-real-parts.sh
# The engine with the containerd image store (scripts/setup-real-parts.sh runs two), unless told otherwise.
DOCKER_HOST="${DOCKER_HOST:-$(bash scripts/engine-host.sh containerd)}"
export DOCKER_HOST
echo "Docker engine: $DOCKER_HOST" >&2
# The action runs on Node 24 on GitHub (runs.using: node24), so the bench does too unless told otherwise.
BENCH_NODE="${BENCH_NODE:-$(bash scripts/node24.sh)}"
export BENCH_NODE

# tsx from node_modules directly: npx would add its own start-up and warnings to the run.
node_modules/.bin/tsx "${BENCH_SCRIPT:-bench/bench.ts}" "$@"
echo "npm run bench took $((SECONDS - started)) s in all (set-up included)"
