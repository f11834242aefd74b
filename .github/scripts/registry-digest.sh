#!/usr/bin/env bash
# Prints the digest a registry holds for REPOSITORY:TAG, read from the Docker-Content-Digest header of a
# manifest HEAD request, without docker. Used by the workflows to compare the action's digest output with
# what the registry really has.
#
# Usage: registry-digest.sh REPOSITORY TAG
# Env:   ECR_REGISTRY_HOST  registry host[:port]; loopback hosts are spoken to over http, others over https.
#        When the registry answers 401, a token from `aws ecr get-authorization-token` (which honours
#        AWS_ENDPOINT_URL_ECR) is sent as basic authentication, as ECR expects.
set -euo pipefail

repository="${1:?usage: registry-digest.sh REPOSITORY TAG}"
tag="${2:?usage: registry-digest.sh REPOSITORY TAG}"
host="${ECR_REGISTRY_HOST:?ECR_REGISTRY_HOST is not set}"
host="${host#https://}"
host="${host#http://}"
host="${host%/}"

case "$host" in
  localhost | localhost:* | 127.* | '[::1]' | '[::1]:'*) scheme=http ;;
  *) scheme=https ;;
esac
url="$scheme://$host/v2/$repository/manifests/$tag"
accept=(
  -H 'Accept: application/vnd.oci.image.index.v1+json'
  -H 'Accept: application/vnd.oci.image.manifest.v1+json'
  -H 'Accept: application/vnd.docker.distribution.manifest.list.v2+json'
  -H 'Accept: application/vnd.docker.distribution.manifest.v2+json'
)

head_manifest() { curl -sS -I "${accept[@]}" "$@" "$url"; }

headers="$(head_manifest)"
status="$(printf '%s\n' "$headers" | head -n 1 | awk '{print $2}')"
if [ "$status" = 401 ]; then
  token="$(aws ecr get-authorization-token --query 'authorizationData[0].authorizationToken' --output text)"
  # The token is base64("AWS:<password>"): exactly what basic authentication sends. It is never printed.
  headers="$(head_manifest -H "Authorization: Basic $token")"
  status="$(printf '%s\n' "$headers" | head -n 1 | awk '{print $2}')"
fi
if [ "$status" != 200 ]; then
  echo "registry-digest: HEAD $url answered ${status:-nothing}" >&2
  exit 1
fi
digest="$(printf '%s\n' "$headers" | tr -d '\r' | awk 'tolower($1) == "docker-content-digest:" {print $2}')"
[ -n "$digest" ] || { echo "registry-digest: no Docker-Content-Digest header from $url" >&2; exit 1; }
printf '%s\n' "$digest"
