#!/usr/bin/env bash
# Prints the section of CHANGELOG.md for one version (Keep a Changelog: "## [X.Y.Z] - YYYY-MM-DD"), without
# its heading, for use as the GitHub release notes. Fails when the section is missing, undated or empty.
#
# Usage: release-notes.sh X.Y.Z [CHANGELOG]
set -euo pipefail

version="${1:?usage: release-notes.sh X.Y.Z [CHANGELOG]}"
changelog="${2:-CHANGELOG.md}"
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "release-notes: '$version' is not X.Y.Z" >&2; exit 1; }
[ -f "$changelog" ] || { echo "release-notes: $changelog not found" >&2; exit 1; }

escaped="${version//./\\.}"
heading="$(grep -m 1 -E "^## \[$escaped\]" "$changelog" || true)"
if [ -z "$heading" ]; then
  echo "release-notes: $changelog has no '## [$version] - YYYY-MM-DD' section" >&2
  exit 1
fi
dated="^## \[$escaped\] - [0-9]{4}-[0-9]{2}-[0-9]{2}\$"
if ! [[ "$heading" =~ $dated ]]; then
  echo "release-notes: the heading '$heading' should read '## [$version] - YYYY-MM-DD'" >&2
  exit 1
fi

# From the line after the heading up to the next "## " heading or the link references at the end.
notes="$(awk -v heading="$heading" '
  $0 == heading { inside = 1; next }
  inside && (/^## / || /^\[[^]]+\]: /) { exit }
  inside { print }
' "$changelog" | sed -e '/./,$!d' | sed -e ':a' -e '/^\n*$/{$d;N;ba' -e '}')"
if [ -z "${notes//[[:space:]]/}" ]; then
  echo "release-notes: the section for $version in $changelog is empty" >&2
  exit 1
fi
printf '%s\n' "$notes"
