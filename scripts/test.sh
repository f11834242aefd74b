#!/usr/bin/env bash
# The project's one test command (CONTRIBUTING.md: Tests). On a fresh Debian machine as root it sets up
# everything it needs: node modules, four Docker engines + buildx + registry (scripts/setup-real-parts.sh),
# a Node 24 binary for the runtime check; then lints (code, format, workflows), checks dist/, runs the unit
# suite, and the end-to-end suite once per column of the test matrix (IEB_COLUMNS; the default runs every column
# below but containerd+remote, which Engine 28's remote column covers with the buildx users run). Measured on a
# 2-core machine shared with other jobs: 2.5 to 5 minutes a column, the five default ones 17 minutes in all:
#   classic                dockerd 26.1.5, classic image store, the docker driver (buildx 0.13)
#   containerd             dockerd 26.1.5, containerd image store, the docker driver (buildx 0.13)
#   containerd+remote      the same engine's BuildKit as a `remote` BuildKit builder (BUILDX_BUILDER)
#   classic-28             dockerd 28.5.2 (GitHub-hosted runners' engine), classic store, buildx 0.29.1
#   containerd-28          dockerd 28.5.2, containerd store, buildx 0.29.1
#   containerd-28+remote   dockerd 28.5.2's BuildKit as a `remote` builder, buildx 0.29.1
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n=== %s\n' "$*"; }

step "node modules"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

step "real parts: Docker engines 26 and 28 (classic and containerd image store), buildx, registry"
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

# Every column even when one fails (IEB_COLUMNS="containerd+remote" runs one); fails if any failed.
SID_BUILDX=/opt/immutable-ecr-build/sid/usr/libexec/docker/cli-plugins/docker-buildx
failed=()
timings=()
for column in ${IEB_COLUMNS:-classic containerd classic-28 containerd-28 containerd-28+remote}; do
  IEB_ENGINE="${column%%+*}"
  IEB_BUILDER=docker
  [ "$column" = "$IEB_ENGINE" ] || IEB_BUILDER="${column#*+}"
  DOCKER_HOST="$(bash scripts/engine-host.sh "$IEB_ENGINE")"
  # Engine 28's columns run buildx 0.29.1, as hosted runners do, from each run's DOCKER_CONFIG/cli-plugins.
  IEB_BUILDX=
  case "$IEB_ENGINE" in *-28) IEB_BUILDX="$SID_BUILDX" ;; esac
  export IEB_ENGINE IEB_BUILDER IEB_BUILDX DOCKER_HOST
  step "end-to-end tests, column \"$column\" (DOCKER_HOST=$DOCKER_HOST, builder $IEB_BUILDER${IEB_BUILDX:+, buildx $IEB_BUILDX}; bundled dist/, real BuildKit, real registry)"
  started=$SECONDS
  npm run test:e2e || failed+=("$column")
  timings+=("$column $((SECONDS - started)) s")
done
printf '\nend-to-end time per column: %s\n' "$(IFS=,; echo "${timings[*]}")"
if [ "${#failed[@]}" -gt 0 ]; then
  printf '\nend-to-end suite failed on column(s): %s\n' "${failed[*]}" >&2
  exit 1
fi
