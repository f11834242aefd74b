#!/usr/bin/env bash
# Fails when the committed dist/ differs from a fresh build of src/: GitHub runs dist/, not src/.
set -euo pipefail
cd "$(dirname "$0")/.."
fresh=$(mktemp -d)
trap 'rm -rf "$fresh"' EXIT
npx tsc --noEmit
# Every bundle of scripts/bundles.txt (`<action> <entry>` → dist/<action>/), then dist/ as a whole, so that a
# folder left from a bundle no longer listed fails too.
while read -r action entry; do
  [[ -z "$action" || "$action" == \#* ]] && continue
  npx ncc build "$entry" -o "$fresh/dist/$action" --source-map --no-source-map-register --license licenses.txt --target es2022 >/dev/null
done <scripts/bundles.txt
if ! diff -r -q dist "$fresh/dist" >/dev/null; then
  diff -r -q dist "$fresh/dist" || true
  echo "check-dist: dist/ is not a fresh build of the entries in scripts/bundles.txt: run 'npm run build' and commit dist/." >&2
  exit 1
fi
echo "check-dist: dist/ equals a fresh build of every entry in scripts/bundles.txt"
