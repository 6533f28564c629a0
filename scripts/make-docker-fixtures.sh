#!/bin/sh
# Regenerates test/fixtures/docker/*.json from a real dockerd: `docker inspect` of containers
# created with the settings the container rules look at. Run as root with dockerd running.
# Nothing is started except one plain container (so that State.Pid is real); all is removed after.
set -eu
out=$(cd "$(dirname "$0")/.." && pwd)/test/fixtures/docker
prefix=cf-fixture
image=cf-fixture/busybox:1

cleanup() {
  docker ps -aq --filter "name=^${prefix}-" | xargs -r docker rm -f >/dev/null 2>&1 || true
}
trap cleanup EXIT INT TERM

if ! docker image inspect "$image" >/dev/null 2>&1; then
  # Offline image: a rootfs holding only the static busybox from Debian's busybox-static.
  tmp=$(mktemp -d)
  mkdir -p "$tmp/bin"
  cp /bin/busybox "$tmp/bin/busybox"
  for applet in sh ls cat sleep id; do ln -s busybox "$tmp/bin/$applet"; done
  tar -C "$tmp" -cf "$tmp.tar" .
  docker import "$tmp.tar" "$image" >/dev/null
  rm -rf "$tmp" "$tmp.tar"
fi
cleanup

# A clean container: default settings, running (privileged containers cannot start on this VM).
docker run -d --name "$prefix-plain" --read-only --user 1000:1000 --cap-drop ALL \
  --security-opt no-new-privileges "$image" sleep 3600 >/dev/null
docker create --name "$prefix-default" "$image" sleep 3600 >/dev/null
docker create --name "$prefix-privileged" --privileged "$image" sleep 3600 >/dev/null
docker create --name "$prefix-hostns" --pid=host --network=host --ipc=host "$image" sleep 3600 >/dev/null
docker create --name "$prefix-caps" --cap-add SYS_ADMIN --cap-add NET_RAW --cap-add SYS_PTRACE "$image" sleep 3600 >/dev/null
docker create --name "$prefix-mounts" -v /:/host:ro -v /etc/ssl:/certs:ro -v /var/run/docker.sock:/var/run/docker.sock \
  -v /srv:/data "$image" sleep 3600 >/dev/null
docker create --name "$prefix-unconfined" --security-opt seccomp=unconfined --security-opt apparmor=unconfined "$image" sleep 3600 >/dev/null

mkdir -p "$out"
docker inspect "$prefix-plain" "$prefix-default" > "$out/inspect-clean.json"
docker inspect "$prefix-privileged" "$prefix-hostns" "$prefix-caps" "$prefix-mounts" "$prefix-unconfined" > "$out/inspect-risky.json"
echo "wrote $out/inspect-clean.json $out/inspect-risky.json" >&2
