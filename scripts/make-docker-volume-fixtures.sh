#!/bin/sh
# Regenerates test/fixtures/docker/inspect-volumes-benign.json from a real dockerd: named volumes
# used the ordinary way, the negative case of volume.sensitive. Two replicas of one image share a
# data volume; a database keeps its data under /var/lib; an etcd member's /etcd-data (a name that
# starts like /etc but is not under it). Containers are created, never started; all is removed
# after. Run as root with dockerd running, after make-docker-fixtures.sh (the offline base image).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/test/fixtures/docker/inspect-volumes-benign.json
prefix=cf-fixture-vol
image=cf-fixture/busybox:1

cleanup() {
  docker ps -aq --filter "name=^${prefix}-" | xargs -r docker rm -f >/dev/null 2>&1 || true
  for v in shared db etcd; do docker volume rm -f "$prefix-$v" >/dev/null 2>&1 || true; done
}
trap cleanup EXIT INT TERM
docker image inspect "$image" >/dev/null 2>&1 || {
  echo "needs the offline image $image: scripts/make-docker-fixtures.sh builds it (and rewrites its fixtures)" >&2
  exit 1
}
cleanup

for v in shared db etcd; do docker volume create "$prefix-$v" >/dev/null; done
docker create --name "$prefix-web-1" -v "$prefix-shared:/srv/data" "$image" sleep 3600 >/dev/null
docker create --name "$prefix-web-2" -v "$prefix-shared:/srv/data:ro" "$image" sleep 3600 >/dev/null
docker create --name "$prefix-db" -v "$prefix-db:/var/lib/app" "$image" sleep 3600 >/dev/null
docker create --name "$prefix-etcd" -v "$prefix-etcd:/etcd-data" "$image" sleep 3600 >/dev/null
# shellcheck disable=SC2046 # one id per word
docker inspect $(docker ps -aq --no-trunc --filter "name=^${prefix}-") >"$out"
echo "wrote $out"
