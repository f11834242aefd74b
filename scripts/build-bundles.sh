#!/usr/bin/env bash
# Bundles every action of the repository with ncc: each line `<action> <entry>` of scripts/bundles.txt into
# dist/<action>/, the folder its action.yml runs. dist/ is rebuilt whole, so a bundle dropped from the list
# leaves nothing behind.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf dist
while read -r action entry; do
  [[ -z "$action" || "$action" == \#* ]] && continue
  npx ncc build "$entry" -o "dist/$action" --source-map --no-source-map-register --license licenses.txt --target es2022
done <scripts/bundles.txt
