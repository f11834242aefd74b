#!/usr/bin/env bash
# npm run demo: the one command a newcomer runs to see the action work end to end on this machine.
# Sets up what it needs (node modules, Docker engine + buildx + registry), then runs the bundled
# action the GitHub runner's way against a local ECR-compatible endpoint: a push, a refused re-run
# on the same commit, and a re-run with if-tag-exists: skip.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
bash scripts/setup-real-parts.sh
# The engine with the containerd image store (scripts/setup-real-parts.sh runs two), unless told otherwise.
DOCKER_HOST="${DOCKER_HOST:-$(bash scripts/engine-host.sh containerd)}"
export DOCKER_HOST
echo "Docker engine: $DOCKER_HOST" >&2
exec npx tsx scripts/demo.ts
