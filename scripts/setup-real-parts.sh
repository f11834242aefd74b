#!/usr/bin/env bash
# Makes the real parts the end-to-end suite, the demo and the benchmark need available: four Docker engines
# side by side, the buildx plugin (two versions), the CNCF registry binary and a static busybox.
#
#   classic        dockerd 26.1.5 with the classic image store (graph driver overlay2), containerd 1.7
#   containerd     the same dockerd with the containerd image store (features.containerd-snapshotter)
#   classic-28     dockerd 28.5.2 (what GitHub-hosted runners run) with the classic store, containerd 2.1
#   containerd-28  dockerd 28.5.2 with the containerd image store
#
# Each engine has its own socket (scripts/engine-host.sh prints it), its own containerd and its own state
# folders; none touches the default /var/run/docker.sock, and an engine that answers is never restarted.
# dockerd, docker-proxy and containerd come from Debian's docker.io and containerd packages (26.1.5 from
# trixie, 28.5.2 from sid: apt-get download, dpkg -x, run from where they are unpacked); buildx 0.13 (trixie)
# is the machine's plugin, buildx 0.29.1 (sid, what hosted runners run) stays unpacked in $SID_ROOT and a test
# column uses it through its own DOCKER_CONFIG/cli-plugins (IEB_BUILDX); runc, tini, docker-registry,
# busybox-static and file come from the machine's own Debian (bookworm).
# Idempotent: an engine that answers is left alone; only what is missing is installed or started.
# Never creates a network bridge, iptables rule or any network outside loopback.
#
#   bash scripts/setup-real-parts.sh                 set up (what npm test, demo and bench run)
#   bash scripts/setup-real-parts.sh --stop-engines  stop the engines (by their pid files)
#   IEB_SETUP_ENGINES="classic containerd" bash ...   set up only these engines (default: all four)
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf 'setup: %s\n' "$*" >&2; }
die() { printf 'setup: ERROR: %s\n' "$*" >&2; exit 1; }

STATE_DIR="${IEB_STATE_DIR:-/tmp/immutable-ecr-build-setup}"
read -r -a ENGINES <<<"${IEB_SETUP_ENGINES:-classic containerd classic-28 containerd-28}"
# Fixed locations: sockets and exec roots under /run, images and build cache under /var/lib, binaries under /opt.
RUN_ROOT=/run/immutable-ecr-build
LIB_ROOT=/var/lib/immutable-ecr-build
TRIXIE_ROOT=/opt/immutable-ecr-build/trixie
SID_ROOT=/opt/immutable-ecr-build/sid
# Where an engine's dockerd and containerd are unpacked, and the PATH it runs with (runc from the machine).
engine_root() { case "$1" in *-28) echo "$SID_ROOT" ;; *) echo "$TRIXIE_ROOT" ;; esac; }
engine_path() { local root; root="$(engine_root "$1")"; echo "$root/usr/sbin:$root/usr/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"; }
START_TIMEOUT_S=60

have() { command -v "$1" >/dev/null 2>&1; }
is_debian_root() { [ "$(id -u)" = 0 ] && [ -f /etc/debian_version ] && have apt-get; }
engine_socket() { bash scripts/engine-host.sh --socket "$1"; }
engine_answers() { DOCKER_HOST="unix://$(engine_socket "$1")" timeout 10 docker info >/dev/null 2>&1; }
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
pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

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

# The URI of the Debian archive the machine's own apt sources use (the entry that serves the machine's
# release, not -security): a mirror or a caching proxy configured there serves the extra suites as well,
# and no host name is written into this script. deb822 `*.sources` stanzas and one-line `*.list` entries.
debian_archive_uri() {
  local codename uri
  codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-}")"
  [ -n "$codename" ] || die "cannot tell this machine's Debian release (no VERSION_CODENAME in /etc/os-release)"
  uri="$(
    {
      for f in /etc/apt/sources.list.d/*.sources; do [ -f "$f" ] && cat "$f" && printf '\n\n'; done
    } | awk -v want="$codename" '
      function flush() {
        if (types ~ /(^| )deb( |$)/ && enabled != "no" && (" " suites " ") ~ (" " want " ") && uris != "" && found == "") {
          split(uris, u, " "); found = u[1]
        }
        types = ""; suites = ""; uris = ""; enabled = ""
      }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); next }
      tolower($1) == "types:" { $1 = ""; types = $0 }
      tolower($1) == "uris:" { $1 = ""; uris = $0; sub(/^ +/, "", uris) }
      tolower($1) == "suites:" { $1 = ""; suites = $0 }
      tolower($1) == "enabled:" { enabled = tolower($2) }
      END { flush(); print found }'
  )"
  if [ -z "$uri" ]; then
    uri="$(
      cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk -v want="$codename" '
        $1 != "deb" { next }
        { i = 2; if ($i ~ /^\[/) { while ($i !~ /\]$/ && i < NF) i++; i++ } }
        $(i + 1) == want { print $i; exit }'
    )"
  fi
  [ -n "$uri" ] || die "no apt source of this machine serves Debian $codename (looked in /etc/apt/sources.list and /etc/apt/sources.list.d/*.sources, *.list); add one, then run this again"
  printf '%s\n' "${uri%/}"
}

# Downloads packages from another Debian suite (trixie, sid) into $STATE_DIR/<suite>/pkg through a separate
# sources list pointing at the machine's own archive URI: the machine's apt sources and state are not
# changed, nothing from that suite is installed with dpkg -i. apt's own settings (a proxy) still apply.
declare -A suite_updated=()
suite_download() { # suite, packages...
  local suite=$1; shift
  is_debian_root || die "cannot fetch $* from Debian $suite (needs Debian with apt-get, as root)"
  [ -f /usr/share/keyrings/debian-archive-keyring.gpg ] || apt_install debian-archive-keyring
  local work="$STATE_DIR/$suite"
  mkdir -p "$work/lists/partial" "$work/archives/partial" "$work/pkg"
  printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s %s main\n' "$(debian_archive_uri)" "$suite" |
    write_if_changed "$work/sources.list"
  local opts=(-oDir::Etc::SourceList="$work/sources.list" -oDir::Etc::SourceParts=/dev/null
              -oDir::State::Lists="$work/lists" -oDir::Cache::Archives="$work/archives"
              -oAPT::Get::List-Cleanup=0 -oAPT::Sandbox::User=root)
  if [ -z "${suite_updated[$suite]:-}" ]; then
    log "apt-get update (Debian $suite, separate lists in $work/lists)"
    apt-get "${opts[@]}" update -qq >/dev/null
    suite_updated[$suite]=1
  fi
  local package
  for package in "$@"; do
    log "fetching $package from Debian $suite"
    (cd "$work/pkg" && rm -f "${package}"_*.deb && apt-get "${opts[@]}" download "$package" >/dev/null)
  done
}
trixie_download() { suite_download trixie "$@"; }
trixie_deb() { ls "$STATE_DIR"/trixie/pkg/"$1"_*.deb; }

install_buildx_from_trixie() {
  trixie_download docker-buildx
  local extract="$STATE_DIR/trixie/extract"
  rm -rf "$extract"
  dpkg -x "$(trixie_deb docker-buildx)" "$extract"
  install -D -m 0755 "$extract/usr/libexec/docker/cli-plugins/docker-buildx" \
    /usr/libexec/docker/cli-plugins/docker-buildx
}

# cosign (sigstore) for the signing end-to-end tests: trixie's package, unpacked like the engines.
COSIGN_BIN="$TRIXIE_ROOT-cosign/usr/bin/cosign"
install_cosign_from_trixie() {
  trixie_download cosign
  rm -rf "$TRIXIE_ROOT-cosign"
  dpkg -x "$(trixie_deb cosign)" "$TRIXIE_ROOT-cosign"
}

# The docker CLI only when there is none (the machine image ships one in /usr/local/bin).
install_cli_from_trixie() {
  trixie_download docker-cli
  local extract="$STATE_DIR/trixie/extract-cli"
  rm -rf "$extract"
  dpkg -x "$(trixie_deb docker-cli)" "$extract"
  install -D -m 0755 "$extract/usr/bin/docker" /usr/local/bin/docker
}

engine_binaries_work() { # root
  "$1/usr/sbin/dockerd" --version >/dev/null 2>&1 &&
    "$1/usr/bin/containerd" --version >/dev/null 2>&1 &&
    [ -x "$1/usr/bin/containerd-shim-runc-v2" ]
}

sid_buildx() { echo "$SID_ROOT/usr/libexec/docker/cli-plugins/docker-buildx"; }

install_engine_binaries() { # suite, root, extra packages...
  local suite=$1 root=$2 package; shift 2
  suite_download "$suite" docker.io containerd "$@"
  rm -rf "$root.new"
  mkdir -p "$root.new"
  for package in docker.io containerd "$@"; do
    dpkg -x "$(ls "$STATE_DIR/$suite/pkg/${package}"_*.deb)" "$root.new"
  done
  # docker.io links docker-init to tini-static from the tini package: use the machine's one (bookworm).
  ln -sfn /usr/bin/tini-static "$root.new/usr/bin/docker-init"
  rm -rf "$root"
  mv "$root.new" "$root"
}

write_if_changed() { # path, content on stdin
  local tmp
  tmp="$(mktemp "$1.XXXXXX")"
  cat >"$tmp"
  if [ -f "$1" ] && cmp -s "$tmp" "$1"; then rm -f "$tmp"; else mv "$tmp" "$1"; fi
}

# Writes the engine's containerd and dockerd configuration; echoes nothing.
configure_engine() {
  local engine=$1 run="$RUN_ROOT/$1" lib="$LIB_ROOT/$1" snapshotter=false
  [ "$(expected_store "$engine")" = containerd ] && snapshotter=true
  mkdir -p "$run" "$lib"
  write_if_changed "$lib/containerd.toml" <<TOML
# containerd for the "$engine" engine of immutable-ecr-build's tests (scripts/setup-real-parts.sh)
version = 2
root = "$lib/containerd"
state = "$run/containerd/state"
oom_score = 0
disabled_plugins = ["io.containerd.grpc.v1.cri"]

[grpc]
  address = "$run/containerd/containerd.sock"

[ttrpc]
  address = "$run/containerd/containerd.sock.ttrpc"

[debug]
  address = ""

[metrics]
  address = ""

[plugins."io.containerd.internal.v1.opt"]
  path = "$lib/containerd-opt"
TOML
  # No bridge, no iptables, no forwarding: this engine must never create a network outside loopback.
  write_if_changed "$lib/daemon.json" <<JSON
{
  "hosts": ["unix://$run/docker.sock"],
  "data-root": "$lib/docker",
  "exec-root": "$run/exec",
  "pidfile": "$run/dockerd.pid",
  "containerd": "$run/containerd/containerd.sock",
  "iptables": false,
  "ip6tables": false,
  "ip-forward": false,
  "ip-masq": false,
  "bridge": "none",
  "features": { "containerd-snapshotter": $snapshotter }
}
JSON
}

wait_for() { # description, log file, command...
  local description=$1 logfile=$2; shift 2
  local deadline=$((SECONDS + START_TIMEOUT_S))
  until "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "last lines of $logfile:"
      tail -n 30 "$logfile" >&2 || true
      die "$description did not answer within $START_TIMEOUT_S s (log: $logfile)"
    fi
    sleep 0.5
  done
}

start_engine() {
  local engine=$1 run="$RUN_ROOT/$1" lib="$LIB_ROOT/$1"
  [ "$(id -u)" = 0 ] || die "engine \"$engine\" is not answering on $(engine_socket "$engine") and starting it needs root"
  configure_engine "$engine"
  local ctr_sock="$run/containerd/containerd.sock"
  local ctr_check=(env PATH="$(engine_path "$engine")" ctr --address "$ctr_sock" version)
  if ! pid_alive "$run/containerd.pid" || ! "${ctr_check[@]}" >/dev/null 2>&1; then
    if pid_alive "$run/containerd.pid"; then
      wait_for "containerd of engine \"$engine\"" "$lib/containerd.log" "${ctr_check[@]}"
    else
      log "starting containerd for engine \"$engine\""
      mkdir -p "$run/containerd"
      PATH="$(engine_path "$engine")" setsid nohup containerd --config "$lib/containerd.toml" >"$lib/containerd.log" 2>&1 </dev/null &
      echo $! >"$run/containerd.pid"
      wait_for "containerd of engine \"$engine\"" "$lib/containerd.log" "${ctr_check[@]}"
    fi
  fi
  if ! pid_alive "$run/dockerd.pid"; then
    log "starting dockerd for engine \"$engine\" (config $lib/daemon.json: no bridge, no iptables)"
    rm -f "$run/dockerd.pid" "$run/docker.sock"
    PATH="$(engine_path "$engine")" setsid nohup dockerd --config-file "$lib/daemon.json" >"$lib/dockerd.log" 2>&1 </dev/null &
  else
    log "dockerd for engine \"$engine\" is running but not answering yet; waiting"
  fi
  wait_for "engine \"$engine\" (dockerd on $(engine_socket "$engine"))" "$lib/dockerd.log" engine_answers "$engine"
}

# The image store an engine is meant to have: its name without the version suffix.
expected_store() { echo "${1%-28}"; }

# The image store an engine really uses: "containerd" when its storage driver is a containerd snapshotter.
engine_store() {
  local status
  status="$(DOCKER_HOST="unix://$(engine_socket "$1")" timeout 10 docker info --format '{{json .DriverStatus}}')"
  case "$status" in *io.containerd.snapshotter*) echo containerd ;; *) echo classic ;; esac
}

stop_process() { # pid file, name
  pid_alive "$1" || { rm -f "$1"; return 0; }
  local pid
  pid="$(cat "$1")"
  log "stopping $2 (pid $pid)"
  kill -TERM "$pid"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || { rm -f "$1"; return 0; }; sleep 0.5; done
  log "$2 (pid $pid) did not stop within 30 s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$1"
}

if [ "${1:-}" = --stop-engines ]; then
  for engine in "${ENGINES[@]}"; do
    stop_process "$RUN_ROOT/$engine/dockerd.pid" "dockerd of engine \"$engine\""
    stop_process "$RUN_ROOT/$engine/containerd.pid" "containerd of engine \"$engine\""
  done
  exit 0
fi
[ $# = 0 ] || die "usage: $0 [--stop-engines]"

mkdir -p "$STATE_DIR"
have file || apt_install file
have docker || install_cli_from_trixie
buildx_works || install_buildx_from_trixie
buildx_works || die "docker buildx still does not run after installing it"
[ -n "$(registry_binary)" ] || apt_install docker-registry
[ -n "$(registry_binary)" ] || die "the CNCF registry binary (docker-registry) is missing"
busybox_static >/dev/null || apt_install busybox-static
busybox_static >/dev/null || die "a statically linked busybox is needed at /bin/busybox (package busybox-static)"
"$COSIGN_BIN" version >/dev/null 2>&1 || install_cosign_from_trixie
"$COSIGN_BIN" version >/dev/null 2>&1 || die "cosign from Debian trixie does not run here (see $COSIGN_BIN)"

need_start=()
for engine in "${ENGINES[@]}"; do engine_answers "$engine" || need_start+=("$engine"); done
if [ "${#need_start[@]}" -gt 0 ]; then
  is_debian_root || die "engines ${need_start[*]} are not answering; starting them needs Debian (or Ubuntu) as root"
  # runc from the machine's Debian: trixie's runc needs glibc 2.38, bookworm has 2.36.
  have runc || apt_install runc
  [ -x /usr/bin/tini-static ] || apt_install tini
  for engine in "${need_start[@]}"; do
    root="$(engine_root "$engine")"
    engine_binaries_work "$root" && continue
    case "$root" in
      "$SID_ROOT") install_engine_binaries sid "$root" docker-buildx ;;
      *) install_engine_binaries trixie "$root" ;;
    esac
    engine_binaries_work "$root" || die "dockerd/containerd for engine \"$engine\" do not run here (see $root)"
  done
  for engine in "${need_start[@]}"; do start_engine "$engine"; done
fi

for engine in "${ENGINES[@]}"; do
  store="$(engine_store "$engine")"
  [ "$store" = "$(expected_store "$engine")" ] ||
    die "engine \"$engine\" on $(engine_socket "$engine") uses the $store image store; stop it (bash scripts/setup-real-parts.sh --stop-engines) and run this again"
  log "ready: engine \"$engine\" $(DOCKER_HOST="unix://$(engine_socket "$engine")" docker version --format '{{.Server.Version}}' 2>/dev/null) on $(bash scripts/engine-host.sh "$engine")"
done
case " ${ENGINES[*]} " in
  *-28\ *)
    [ -x "$(sid_buildx)" ] || install_engine_binaries sid "$SID_ROOT" docker-buildx
    log "ready: Engine 28's buildx $("$(sid_buildx)" version | cut -d' ' -f1-2) at $(sid_buildx) (IEB_BUILDX for its test columns)"
    ;;
esac
log "ready: $(docker buildx version | cut -d' ' -f1-2), registry $(registry_binary), busybox $(busybox_static)"
log "use an engine with: export DOCKER_HOST=\$(bash scripts/engine-host.sh containerd)   # or classic"
