#!/usr/bin/env bash
# Makes the real parts the end-to-end suite, the demo and the benchmark need available:
# a Docker engine with BuildKit, the buildx plugin, the CNCF registry binary and a static busybox.
# Idempotent: uses what already works, installs only what is missing, never creates a network bridge.
set -euo pipefail

log() { printf 'setup: %s\n' "$*" >&2; }
die() { printf 'setup: ERROR: %s\n' "$*" >&2; exit 1; }

STATE_DIR="${IEB_STATE_DIR:-/tmp/immutable-ecr-build-setup}"
mkdir -p "$STATE_DIR"

have() { command -v "$1" >/dev/null 2>&1; }
engine_answers() { timeout 10 docker info >/dev/null 2>&1; }
buildx_works() { timeout 10 docker buildx version >/dev/null 2>&1; }
registry_binary() {
  if have docker-registry; then command -v docker-registry; elif have registry; then command -v registry; fi
}
busybox_static() {
  for candidate in /bin/busybox /usr/bin/busybox; do
    if [ -x "$candidate" ] && file -L "$candidate" 2>/dev/null | grep -q 'statically linked'; then
      echo "$candidate"; return 0
    fi
  done
  return 1
}
is_debian_root() { [ "$(id -u)" = 0 ] && [ -f /etc/debian_version ] && have apt-get; }

apt_updated=0
apt_install() {
  is_debian_root || die "missing $*; install it yourself (this script installs packages only on Debian as root)"
  if [ "$apt_updated" = 0 ]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    apt_updated=1
  fi
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

install_buildx_from_trixie() {
  is_debian_root || die "docker buildx is missing; install the buildx plugin (https://docs.docker.com/build/install-buildx/)"
  local work="$STATE_DIR/trixie"
  mkdir -p "$work/lists/partial" "$work/archives/partial" "$work/pkg"
  cat >"$work/sources.list" <<LIST
deb http://deb.debian.org/debian trixie main
LIST
  local opts=(-oDir::Etc::SourceList="$work/sources.list" -oDir::Etc::SourceParts=/dev/null
              -oDir::State::Lists="$work/lists" -oDir::Cache::Archives="$work/archives"
              -oAPT::Get::List-Cleanup=0)
  log "fetching docker-buildx from Debian trixie"
  apt-get "${opts[@]}" update -qq >/dev/null
  (cd "$work/pkg" && rm -f docker-buildx_*.deb && apt-get "${opts[@]}" download docker-buildx >/dev/null)
  rm -rf "$work/extract"
  dpkg -x "$work"/pkg/docker-buildx_*.deb "$work/extract"
  install -D -m 0755 "$work/extract/usr/libexec/docker/cli-plugins/docker-buildx" \
    /usr/libexec/docker/cli-plugins/docker-buildx
}

start_engine() {
  have dockerd || apt_install docker.io
  [ "$(id -u)" = 0 ] || die "the Docker engine is not answering and starting one needs root"
  log "starting dockerd (no bridge, no iptables)"
  # No bridge and no iptables: this engine must never create a network outside loopback.
  nohup dockerd --iptables=false --ip-forward=false --bridge=none \
    >"$STATE_DIR/dockerd.log" 2>&1 &
  for _ in $(seq 1 60); do
    engine_answers && return 0
    sleep 0.5
  done
  tail -n 20 "$STATE_DIR/dockerd.log" >&2 || true
  die "dockerd did not answer within 30 s (log: $STATE_DIR/dockerd.log)"
}

have docker || apt_install docker.io
have file || apt_install file
engine_answers || start_engine
buildx_works || install_buildx_from_trixie
buildx_works || die "docker buildx still does not run after installing it"
[ -n "$(registry_binary)" ] || apt_install docker-registry
[ -n "$(registry_binary)" ] || die "the CNCF registry binary (docker-registry) is missing"
busybox_static >/dev/null || apt_install busybox-static
busybox_static >/dev/null || die "a statically linked busybox is needed at /bin/busybox (package busybox-static)"

log "ready: $(docker version --format 'engine {{.Server.Version}}' 2>/dev/null), $(docker buildx version | cut -d' ' -f1-2), registry $(registry_binary), busybox $(busybox_static)"
