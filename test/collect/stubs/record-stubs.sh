#!/bin/sh
# Re-record the docker / ctr / etcdctl outputs that the stub tools replay, from the REAL
# programs on this machine: dockerd + its containerd, and an etcd-server started here on
# loopback. The outputs are taken from a real collect.sh run (--keep-dir), so they are exactly
# what those tools print for exactly the commands collect.sh issues.
#
# Usage (as root, dockerd running, etcd-server + etcdctl installed):
#   sh test/collect/stubs/record-stubs.sh
# Writes test/collect/stubs/recorded/{docker,containerd,etcd}/ and removes everything it
# created (containers, images, volume, network, etcd data dir and process).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
REC=$HERE/recorded
P=cf-rec-$$
T=$(mktemp -d)
ETCD_PID=
cleanup() {
	docker rm -f "$P-web" "$P-created" "$P-exited" >/dev/null 2>&1 || true
	docker rmi "$P-dropper:latest" "$P-base:latest" >/dev/null 2>&1 || true
	docker volume rm "$P-data" >/dev/null 2>&1 || true
	docker network rm "$P-net" >/dev/null 2>&1 || true
	if [ -n "$ETCD_PID" ]; then kill "$ETCD_PID" 2>/dev/null || true; fi
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

sh "$ROOT/scripts/build-offline-busybox-image.sh" "$P" >/dev/null
docker volume create "$P-data" >/dev/null
docker network create "$P-net" >/dev/null
# A small but varied scene: running with an added capability and a volume, created-only
# privileged, exited with logs.
docker run -d --name "$P-web" --cap-add SYS_ADMIN -v "$P-data:/data" --network none \
	"$P-dropper:latest" sh -c 'echo started; touch /data/x /tmp/dropped; while :; do sleep 3600; done' >/dev/null
docker create --network none --name "$P-created" --privileged -v /:/host "$P-base:latest" sh >/dev/null
docker run --network none --name "$P-exited" "$P-base:latest" sh -c 'echo hello from exited; echo oops >&2; exit 3' >/dev/null 2>&1 || true
sleep 1

# etcd on loopback, non-default ports, throwaway data dir
CPORT=$((30000 + $$ % 10000)); PPORT=$((CPORT + 1))
etcd --name rec --data-dir "$T/etcd" --listen-client-urls "http://127.0.0.1:$CPORT" \
	--advertise-client-urls "http://127.0.0.1:$CPORT" --listen-peer-urls "http://127.0.0.1:$PPORT" \
	--initial-advertise-peer-urls "http://127.0.0.1:$PPORT" --initial-cluster "rec=http://127.0.0.1:$PPORT" \
	>"$T/etcd.log" 2>&1 &
ETCD_PID=$!
i=0
until ETCDCTL_API=3 etcdctl --endpoints "127.0.0.1:$CPORT" endpoint health >/dev/null 2>&1; do
	i=$((i + 1)); [ $i -lt 30 ] || { cat "$T/etcd.log" >&2; exit 1; }; sleep 1
done
for k in /registry/secrets/default/db-password /registry/serviceaccounts/kube-system/default \
	/registry/pods/default/web-0 /registry/clusterrolebindings/cluster-admin; do
	ETCDCTL_API=3 etcdctl --endpoints "127.0.0.1:$CPORT" put "$k" "value-of-$k" >/dev/null
done

mkdir -p "$T/out"
sh "$ROOT/collect.sh" -o "$T/out" --keep-dir --skip host,cri,k8s,ebpf \
	--etcd-endpoints "http://127.0.0.1:$CPORT" --etcd-snapshot --timeout 30 >"$T/stdout"
B=$(find "$T/out" -maxdepth 1 -type d -name 'cf-bundle-*' | head -n 1)

rm -rf "$REC"
mkdir -p "$REC"
# Keep only our scene: containers/images of other projects on this daemon are not ours to
# publish. The replay lists are filtered to the scene's ids.
mkdir -p "$REC/docker/containers" "$REC/docker/images"
for f in version.json info.json; do cp "$B/docker/$f" "$REC/docker/$f"; done
grep "\"Names\":\"$P-" "$B/docker/ps.jsonl" >"$REC/docker/ps.jsonl"
# shellcheck disable=SC2013 # ids are single hex words
for id in $(sed -n 's/.*"ID":"\([0-9a-f]*\)".*/\1/p' "$REC/docker/ps.jsonl"); do
	cp -r "$B/docker/containers/$id" "$REC/docker/containers/$id"
done
grep "\"Repository\":\"$P-" "$B/docker/images.jsonl" >"$REC/docker/images.jsonl"
# shellcheck disable=SC2013
for id in $(sed -n 's/.*"ID":"sha256:\([0-9a-f]*\)".*/\1/p' "$REC/docker/images.jsonl"); do
	cp -r "$B/docker/images/$id" "$REC/docker/images/$id"
done
grep "\"Name\":\"$P-" "$B/docker/volumes.jsonl" >"$REC/docker/volumes.jsonl"
docker volume inspect "$P-data" >"$REC/docker/volumes-inspect.json"
grep -E "\"Name\":\"($P-net|bridge|host|none)\"" "$B/docker/networks.jsonl" >"$REC/docker/networks.jsonl"
docker network inspect bridge host none "$P-net" >"$REC/docker/networks-inspect.json"
docker image inspect --format '{{.Size}}' "$P-base:latest" >"$REC/docker/base-image-size.txt"
echo "$P" >"$REC/docker/prefix.txt"

cp -r "$B/containerd" "$REC/containerd"
mkdir -p "$REC/etcd"
for f in version.txt endpoint-status.json member-list.json keys.txt snapshot-save.txt snapshot.db snapshot-status.json; do
	cp "$B/etcd/$f" "$REC/etcd/$f"
done
# what etcdctl printed on stderr for snapshot save (it logs there)
[ -f "$B/etcd/snapshot-save.txt.stderr" ] && cp "$B/etcd/snapshot-save.txt.stderr" "$REC/etcd/snapshot-save.stderr"
find "$REC" -name '*.stderr' ! -path '*/etcd/snapshot-save.stderr' -delete
date -u +%Y-%m-%dT%H:%M:%SZ >"$REC/recorded-at.txt"
echo "recorded into $REC" >&2
