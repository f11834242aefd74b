#!/usr/bin/env bash
# Fails when the committed dist/ differs from a fresh build of src/: GitHub runs dist/, not src/.
set -euo pipefail
cd "$(dirname "$0")/.."
fresh=$(mktemp -d)
trap 'rm -rf "$fresh"' EXIT
npx tsc --noEmit
# Every action of the repository: build (src/index.ts → dist/), promote and merge (their own bundles).
for entry in "src/build-image/index.ts dist" "src/promote/index.ts promote/dist" "src/merge/index.ts merge/dist"; do
  read -r source out <<<"$entry"
  rm -rf "$fresh/out"
  npx ncc build "$source" -o "$fresh/out" --source-map --no-source-map-register --license licenses.txt --target es2022 >/dev/null
  if ! diff -r -q "$out" "$fresh/out" >/dev/null; then
    diff -r -q "$out" "$fresh/out" || true
    echo "check-dist: $out/ is not a fresh build of $source: run 'npm run build' and commit $out/." >&2
    exit 1
  fi
done
echo "check-dist: dist/, promote/dist/ and merge/dist/ equal fresh builds of src/"
