#!/usr/bin/env bash
# Fails when the committed dist/ differs from a fresh build of src/: GitHub runs dist/, not src/.
set -euo pipefail
cd "$(dirname "$0")/.."
fresh=$(mktemp -d)
trap 'rm -rf "$fresh"' EXIT
npx tsc --noEmit
npx ncc build src/index.ts -o "$fresh" --source-map --no-source-map-register --license licenses.txt --target es2022 >/dev/null
if ! diff -r -q dist "$fresh" >/dev/null; then
  diff -r -q dist "$fresh" || true
  echo "check-dist: dist/ is not a fresh build of src/: run 'npm run build' and commit dist/." >&2
  exit 1
fi
echo "check-dist: dist/ equals a fresh build of src/"
# The merge action (merge/action.yml) runs its own bundle.
fresh_merge=$(mktemp -d)
trap 'rm -rf "$fresh" "$fresh_merge"' EXIT
npx ncc build src/merge-main.ts -o "$fresh_merge" --source-map --no-source-map-register --license licenses.txt --target es2022 >/dev/null
if ! diff -r -q merge/dist "$fresh_merge" >/dev/null; then
  diff -r -q merge/dist "$fresh_merge" || true
  echo "check-dist: merge/dist/ is not a fresh build of src/merge-main.ts: run 'npm run build' and commit merge/dist/." >&2
  exit 1
fi
echo "check-dist: merge/dist/ equals a fresh build of src/merge-main.ts"
