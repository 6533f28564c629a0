#!/bin/sh
# Regenerates test/fixtures/audit/rotated-complete.log.gz (one audit.k8s.io/v1 Event line,
# gzip'd as log rotation writes it) and rotated-cut.log.gz (the first 300 bytes of a gzip'd log
# of 50 such lines: a rotated file cut short). Deterministic: gzip -n.
set -eu
dir=$(cd "$(dirname "$0")/.." && pwd)/test/fixtures/audit
event='{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"6c9d3b1e-2f51-4f0a-9d0e-0b7a3f1c2d4e","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/default/pods?limit=500","verb":"list","user":{"username":"kubernetes-admin","groups":["system:masters","system:authenticated"]},"sourceIPs":["10.0.0.5"],"userAgent":"kubectl/v1.29.3 (linux/amd64) kubernetes/6813625","objectRef":{"resource":"pods","namespace":"default","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":200},"requestReceivedTimestamp":"2026-12-03T17:40:01.123456Z","stageTimestamp":"2026-12-03T17:40:01.130211Z","annotations":{"authorization.k8s.io/decision":"allow","authorization.k8s.io/reason":""}}'
printf '%s\n' "$event" | gzip -n > "$dir/rotated-complete.log.gz"
i=0
while [ "$i" -lt 50 ]; do printf '%s\n' "$event"; i=$((i + 1)); done | gzip -n | head -c 300 > "$dir/rotated-cut.log.gz"
