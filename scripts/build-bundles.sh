#!/usr/bin/env bash
# Bundles every action of the repository with ncc, each into the folder its action.yml runs:
# the build action (action.yml → dist/), promote/ and merge/ (their own action.yml and dist/).
set -euo pipefail
cd "$(dirname "$0")/.."
for entry in "src/build-image/index.ts dist" "src/promote/index.ts promote/dist" "src/merge/index.ts merge/dist"; do
  read -r source out <<<"$entry"
  rm -rf "$out"
  npx ncc build "$source" -o "$out" --source-map --no-source-map-register --license licenses.txt --target es2022
done
