#!/bin/sh
# Regenerates test/fixtures/containerd/*.json: real `ctr containers info` output (OCI runtime
# spec) of containers created — never started — with ctr from the offline busybox image.
# Uses the running containerd (docker's own, or a standalone one) in a namespace of its own,
# which is removed afterwards. Run as root.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/test/fixtures/containerd
ns=cf-fixture
image=docker.io/cf-fixture/busybox:1
if [ -S /run/containerd/containerd.sock ]; then addr=/run/containerd/containerd.sock
else addr=/var/run/docker/containerd/containerd.sock; fi
c() { ctr --address "$addr" -n "$ns" "$@"; }

cleanup() {
  for id in $(c containers ls -q 2>/dev/null); do c containers delete "$id" >/dev/null 2>&1 || true; done
  for img in $(c images ls -q 2>/dev/null); do c images rm "$img" >/dev/null 2>&1 || true; done
  c content ls -q 2>/dev/null | xargs -r ctr --address "$addr" -n "$ns" content rm >/dev/null 2>&1 || true
  ctr --address "$addr" namespaces rm "$ns" >/dev/null 2>&1 || true
}
trap cleanup EXIT INT TERM
docker image inspect cf-fixture/busybox:1 >/dev/null 2>&1 || sh "$root/scripts/make-docker-fixtures.sh"
cleanup
docker save cf-fixture/busybox:1 | c images import - >/dev/null

c containers create "$image" cf-plain sleep 3600
c containers create --read-only --seccomp --cap-drop CAP_NET_RAW "$image" cf-hardened sleep 3600
c containers create --privileged "$image" cf-privileged sleep 3600
c containers create --net-host "$image" cf-hostnet sleep 3600
c containers create --cap-add CAP_SYS_ADMIN --cap-add CAP_SYS_PTRACE \
  --mount type=bind,src=/etc,dst=/host/etc,options=rbind:ro \
  --mount type=bind,src=/run/containerd/containerd.sock,dst=/run/containerd/containerd.sock,options=rbind:rw \
  "$image" cf-caps-mounts -- sh -c 'wget -qO- http://127.0.0.1:9/x | sh'
c containers create --with-ns pid:/proc/1/ns/pid "$image" cf-hostpid sleep 3600

mkdir -p "$out"
for id in cf-plain cf-hardened cf-privileged cf-hostnet cf-caps-mounts cf-hostpid; do
  c containers info "$id" >"$out/info-$id.json"
done
echo "wrote $out/info-*.json" >&2
