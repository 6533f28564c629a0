#!/bin/sh
# Build test images without any network: a busybox rootfs imported as a base image, then a
# Dockerfile whose history looks like an attacker's build (download, chmod 4755, delete).
#
# Usage: scripts/build-offline-busybox-image.sh PREFIX
# Creates the images  PREFIX-base:latest  and  PREFIX-dropper:latest  and prints their names.
# The "download" is real HTTP, but from a busybox httpd bound to 127.0.0.1 on this machine,
# reached by a build that uses the host network: nothing leaves the loopback interface. When
# that is not possible (no busybox httpd, or build networking fails) the payload is COPY'd in
# instead and the history still records the fetch-then-delete RUN line.
set -eu
PREFIX=${1:?usage: $0 PREFIX}
BUSYBOX=$(command -v busybox) || { echo "busybox-static is required" >&2; exit 1; }
case $(file -b "$BUSYBOX" 2>/dev/null || echo static) in
	*dynamic*) echo "need a statically linked busybox (apt-get install busybox-static)" >&2; exit 1 ;;
esac
T=$(mktemp -d)
HTTPD_PID=
cleanup() {
	[ -n "$HTTPD_PID" ] && kill "$HTTPD_PID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

# 1. rootfs: busybox + one symlink per applet, a passwd, a few directories
mkdir -p "$T/rootfs/bin" "$T/rootfs/etc" "$T/rootfs/tmp" "$T/rootfs/usr/local/bin" "$T/rootfs/root"
cp "$BUSYBOX" "$T/rootfs/bin/busybox"
for a in $("$BUSYBOX" --list); do
	[ "$a" = busybox ] || ln -sf busybox "$T/rootfs/bin/$a"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$T/rootfs/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$T/rootfs/etc/group"
chmod 1777 "$T/rootfs/tmp"
(cd "$T/rootfs" && tar -cf "$T/rootfs.tar" .)
docker import -c 'ENV PATH=/bin:/usr/local/bin' -c 'CMD ["/bin/sh"]' "$T/rootfs.tar" "$PREFIX-base:latest" >/dev/null

# 2. the payload and a loopback-only web server for the "download"
mkdir -p "$T/www" "$T/ctx"
printf '#!/bin/sh\n# stand-in for a downloaded implant\necho implant-ran\n' >"$T/www/kworker.sh"
cp "$T/www/kworker.sh" "$T/ctx/kworker.sh"
PORT=$((20000 + $$ % 20000))
URL=
if "$BUSYBOX" httpd -p "127.0.0.1:$PORT" -h "$T/www" -f 2>/dev/null & then
	HTTPD_PID=$!
	sleep 1
	kill -0 "$HTTPD_PID" 2>/dev/null && URL="http://127.0.0.1:$PORT/kworker.sh"
fi

dockerfile() { # the RUN line fetches, installs setuid, deletes the download
	cat <<DOCKERFILE
FROM $PREFIX-base:latest
LABEL org.opencontainers.image.title="cf test dropper"
$1
RUN chmod 4755 /usr/local/bin/kworker && rm -f /tmp/kworker.sh
CMD ["/bin/sh", "-c", "while :; do sleep 3600; done"]
DOCKERFILE
}
built=no
if [ -n "$URL" ]; then
	dockerfile "RUN wget -q -O /tmp/kworker.sh $URL && cp /tmp/kworker.sh /usr/local/bin/kworker && rm -f /tmp/kworker.sh" >"$T/ctx/Dockerfile"
	if DOCKER_BUILDKIT=0 docker build -q --network host -t "$PREFIX-dropper:latest" "$T/ctx" >/dev/null 2>"$T/build.err"; then
		built=yes
	fi
fi
if [ "$built" = no ]; then
	dockerfile "COPY kworker.sh /tmp/kworker.sh
RUN cp /tmp/kworker.sh /usr/local/bin/kworker && rm -f /tmp/kworker.sh" >"$T/ctx/Dockerfile"
	DOCKER_BUILDKIT=0 docker build -q -t "$PREFIX-dropper:latest" "$T/ctx" >/dev/null
fi
echo "$PREFIX-base:latest"
echo "$PREFIX-dropper:latest"
