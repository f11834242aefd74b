#!/usr/bin/env bash
# Prints the DOCKER_HOST value of one of the engines scripts/setup-real-parts.sh runs side by side:
#   classic        dockerd 26.1.5 (Debian trixie) with the classic image store (overlay2 graph driver)
#   containerd     the same dockerd with the containerd image store (features.containerd-snapshotter)
#   classic-28     dockerd 28.5.2 (Debian sid) with the classic image store
#   containerd-28  dockerd 28.5.2 with the containerd image store
# Usage: DOCKER_HOST=$(bash scripts/engine-host.sh containerd) docker info
#        bash scripts/engine-host.sh --socket classic   (the socket path alone)
set -euo pipefail
IEB_RUN_ROOT=/run/immutable-ecr-build
prefix=unix://
if [ "${1:-}" = --socket ]; then prefix=; shift; fi
case "${1:-}" in
  classic | containerd | classic-28 | containerd-28) printf '%s%s/%s/docker.sock\n' "$prefix" "$IEB_RUN_ROOT" "$1" ;;
  *) printf 'usage: %s [--socket] classic|containerd|classic-28|containerd-28\n' "$0" >&2; exit 2 ;;
esac
