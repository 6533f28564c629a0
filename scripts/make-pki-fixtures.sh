#!/bin/sh
# Regenerates test/fixtures/control-plane/pki*/ (real certificates made by openssl, laid out like
# kubeadm's /etc/kubernetes/pki) and the real etcd command lines in
# test/fixtures/control-plane/cmdline/ (an etcd 3.4 started on loopback, read back from
# /proc/<pid>/cmdline exactly as collect.sh does). Only public certificates are kept: every key
# stays in a temporary directory that is removed at exit.
#
#   pki/        kubeadm-like: ca (CN kubernetes), apiserver-etcd-client, etcd/{ca,server,peer,healthcheck-client}
#   pki-rogue/  etcd/root-client.crt: signed by the real etcd CA, CN root (etcd's root user), issued 2026-11-20
#               etcd/monitoring-client.crt: CN kube-etcd-healthcheck-client but signed by another "etcd-ca"
#
# Dates are fixed (openssl ca -startdate/-enddate) so that rule cases can name an incident window.
# Needs openssl; the etcd step needs etcd and etcdctl (Debian etcd-server, etcd-client) and root
# is not required. Usage: sh scripts/make-pki-fixtures.sh
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/test/fixtures/control-plane
work=$(mktemp -d)
etcd_pids=
cleanup() {
  for p in $etcd_pids; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

node=cp-1
node_ip=10.0.0.10
ca_start=20260105090000Z ca_end=20360103090000Z
leaf_start=20260105091200Z leaf_end=20270105091200Z

# ca NAME CN START END: a self-signed CA (keyCertSign, as kubeadm makes them)
ca() {
  mkdir -p "$work/$1/db"
  : >"$work/$1/db/index.txt"
  echo 1000 >"$work/$1/db/serial"
  cat >"$work/$1/ca.cnf" <<EOF
[ca]
default_ca = this
[this]
database = $work/$1/db/index.txt
serial = $work/$1/db/serial
new_certs_dir = $work/$1/db
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[any]
commonName = supplied
organizationName = optional
[req]
distinguished_name = dn
prompt = no
[dn]
CN = $2
[v3_ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, digitalSignature, keyEncipherment, keyCertSign
subjectKeyIdentifier = hash
subjectAltName = DNS:$2
EOF
  openssl genrsa -out "$work/$1/ca.key" 2048 2>/dev/null
  openssl req -new -key "$work/$1/ca.key" -config "$work/$1/ca.cnf" -out "$work/$1/ca.csr"
  openssl ca -batch -notext -selfsign -config "$work/$1/ca.cnf" -keyfile "$work/$1/ca.key" -extensions v3_ca \
    -extfile "$work/$1/ca.cnf" -startdate "$3" -enddate "$4" -in "$work/$1/ca.csr" -out "$work/$1/ca.crt" 2>/dev/null
}

# leaf CA NAME SUBJECT EKU SAN START END: a certificate signed by CA (keys in $work only)
leaf() {
  _ca=$1 _name=$2 _subj=$3 _eku=$4 _san=$5 _start=$6 _end=$7
  mkdir -p "$(dirname "$work/leaf/$_name")"
  {
    echo '[x]'
    echo 'basicConstraints = critical, CA:FALSE'
    echo 'keyUsage = critical, digitalSignature, keyEncipherment'
    echo "extendedKeyUsage = $_eku"
    echo 'authorityKeyIdentifier = keyid'
    [ -n "$_san" ] && echo "subjectAltName = $_san"
  } >"$work/leaf/$_name.ext"
  openssl genrsa -out "$work/leaf/$_name.key" 2048 2>/dev/null
  openssl req -new -key "$work/leaf/$_name.key" -subj "$_subj" -out "$work/leaf/$_name.csr"
  openssl ca -batch -notext -config "$work/$_ca/ca.cnf" -cert "$work/$_ca/ca.crt" -keyfile "$work/$_ca/ca.key" \
    -extfile "$work/leaf/$_name.ext" -extensions x -startdate "$_start" -enddate "$_end" \
    -in "$work/leaf/$_name.csr" -out "$work/leaf/$_name.crt" 2>/dev/null
}

ca cluster kubernetes "$ca_start" "$ca_end"
ca etcd etcd-ca "$ca_start" "$ca_end"
ca other etcd-ca 20261120030000Z 20361118030000Z
san="DNS:$node, DNS:localhost, IP:$node_ip, IP:127.0.0.1, IP:0:0:0:0:0:0:0:1"
leaf etcd etcd/server "/CN=$node" "serverAuth, clientAuth" "$san" "$leaf_start" "$leaf_end"
leaf etcd etcd/peer "/CN=$node" "serverAuth, clientAuth" "$san" "$leaf_start" "$leaf_end"
leaf etcd etcd/healthcheck-client "/CN=kube-etcd-healthcheck-client" "clientAuth" "" "$leaf_start" "$leaf_end"
leaf etcd apiserver-etcd-client "/CN=kube-apiserver-etcd-client" "clientAuth" "" "$leaf_start" "$leaf_end"
leaf etcd rogue/root-client "/CN=root" "clientAuth" "" 20261120021744Z 20271120021744Z
leaf other rogue/monitoring-client "/CN=kube-etcd-healthcheck-client" "clientAuth" "" 20261120030510Z 20271120030510Z

rm -rf "$out/pki" "$out/pki-rogue"
mkdir -p "$out/pki/etcd" "$out/pki-rogue/etcd"
cp "$work/cluster/ca.crt" "$out/pki/ca.crt"
cp "$work/etcd/ca.crt" "$out/pki/etcd/ca.crt"
for f in etcd/server etcd/peer etcd/healthcheck-client apiserver-etcd-client; do cp "$work/leaf/$f.crt" "$out/pki/$f.crt"; done
cp "$work/leaf/rogue/root-client.crt" "$out/pki-rogue/etcd/root-client.crt"
cp "$work/leaf/rogue/monitoring-client.crt" "$out/pki-rogue/etcd/monitoring-client.crt"
if grep -rl 'PRIVATE KEY' "$out/pki" "$out/pki-rogue"; then echo 'a private key reached the fixtures' >&2; exit 1; fi
echo "wrote $out/pki and $out/pki-rogue" >&2

# Real etcd command lines, as collect.sh's daemon_cmdlines writes them (`pid<TAB>args`).
if ! command -v etcd >/dev/null 2>&1; then
  echo 'etcd not installed: command-line fixtures not regenerated' >&2
  exit 0
fi
mkdir -p "$out/cmdline"
# run_etcd FILE ARGS...: starts etcd, waits until it answers, records its cmdline, stops it.
run_etcd() {
  _file=$1; shift
  etcd "$@" >"$work/etcd.log" 2>&1 &
  _pid=$!
  etcd_pids="$etcd_pids $_pid"
  _i=0
  # shellcheck disable=SC2086 # $health is a list of etcdctl options
  until etcdctl $health endpoint health >/dev/null 2>&1; do
    _i=$((_i + 1))
    if [ "$_i" -gt 50 ] || ! kill -0 "$_pid" 2>/dev/null; then cat "$work/etcd.log" >&2; exit 1; fi
    sleep 0.2
  done
  { printf 'pid\targs\n'; printf '%s\t%s\n' "$_pid" "$(tr '\000\t\r\n' '    ' <"/proc/$_pid/cmdline" | sed 's/ $//')"; } >"$out/cmdline/$_file"
  kill "$_pid"
  wait "$_pid" 2>/dev/null || true
}
# Hardened, kubeadm-like flags on loopback: TLS for clients and peers, client certificates required.
health="--endpoints=https://127.0.0.1:23791 --cacert=$work/etcd/ca.crt --cert=$work/leaf/etcd/healthcheck-client.crt --key=$work/leaf/etcd/healthcheck-client.key"
run_etcd etcd-cmdline-hardened.tsv --name "$node" --data-dir "$work/data-hardened" \
  --listen-client-urls=https://127.0.0.1:23791 --advertise-client-urls=https://127.0.0.1:23791 \
  --listen-peer-urls=https://127.0.0.1:23801 --initial-advertise-peer-urls=https://127.0.0.1:23801 \
  --initial-cluster="$node=https://127.0.0.1:23801" \
  --cert-file="$work/leaf/etcd/server.crt" --key-file="$work/leaf/etcd/server.key" --client-cert-auth=true \
  --trusted-ca-file="$work/etcd/ca.crt" --peer-cert-file="$work/leaf/etcd/peer.crt" --peer-key-file="$work/leaf/etcd/peer.key" \
  --peer-client-cert-auth=true --peer-trusted-ca-file="$work/etcd/ca.crt" --snapshot-count=10000
# Plaintext on loopback, no client authentication (etcd's defaults, spelled out as a tutorial would).
health="--endpoints=http://127.0.0.1:23792"
run_etcd etcd-cmdline-plaintext.tsv --name "$node" --data-dir "$work/data-plain" \
  --listen-client-urls http://127.0.0.1:23792 --advertise-client-urls http://127.0.0.1:23792 \
  --listen-peer-urls http://127.0.0.1:23802 --initial-advertise-peer-urls http://127.0.0.1:23802 \
  --initial-cluster "$node=http://127.0.0.1:23802"
# The temporary paths in the recorded command lines are replaced by kubeadm's, so fixtures are stable.
for f in "$out/cmdline/etcd-cmdline-hardened.tsv" "$out/cmdline/etcd-cmdline-plaintext.tsv"; do
  sed -i -e "s#$work/leaf/etcd/#/etc/kubernetes/pki/etcd/#g" -e "s#$work/etcd/#/etc/kubernetes/pki/etcd/#g" \
    -e "s#$work/data-[a-z]*#/var/lib/etcd#g" "$f"
done
echo "wrote $out/cmdline/etcd-cmdline-*.tsv" >&2
