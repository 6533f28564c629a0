#!/bin/sh
# Functions such as proc_tables are run indirectly, through run(), as "$@":
# shellcheck disable=SC2317
# collect.sh: responder-side evidence collector for container hosts (Docker, containerd/CRI-O,
# Kubernetes nodes and control planes, etcd, Falco/Tetragon/Tracee).
#
# Contract: shared/spec/interfaces.md section 1; bundle layout: docs/bundle-format.md.
# Portable POSIX sh (dash, bash --posix, busybox ash); no dependency beyond a minimal Linux
# userland. Non-destructive: it only reads (list/inspect/logs/get) and writes under -o DIR.
#
# Design notes (the why):
# - Every external command runs in the background and the main shell `wait`s for it, because
#   a trapped signal interrupts `wait` at once but not a foreground command: SIGTERM during a
#   hung docker call must still produce a bundle without waiting for the time limit.
# - `timeout` is used when present; otherwise (or for shell functions, which `timeout` cannot
#   run) a watchdog subshell kills the job's whole process tree, found through /proc, because a
#   plain `kill $!` would leave the hung grandchild holding the output file open.
# - Outputs are never rewritten. The only change is a size cap that keeps the *last* bytes
#   (most recent log lines), recorded in commands.tsv.
# - Each file is hashed right after it is closed, so SHA256SUMS proves what the collector saw
#   at that moment, not what the disk held at the end.

CF_COLLECTOR_VERSION=0.1.0
CF_BUNDLE_FORMAT=1

umask 077
# Work in the C locale: tool output and our own parsing must not depend on the responder's
# locale; and nothing we run should page or colour its output.
LC_ALL=C; export LC_ALL
PAGER='cat'; SYSTEMD_PAGER='cat'; NO_COLOR=1; export PAGER SYSTEMD_PAGER NO_COLOR
ETCDCTL_API=3; export ETCDCTL_API

usage() {
	cat <<'EOF'
Usage: sh collect.sh [-o DIR] [options]

Collects read-only evidence from a container host into DIR/cf-bundle-<host>-<UTC stamp>.tgz
(mode 0600) and writes its sha256 beside it (<bundle>.sha256). The bundle path is the last
line of stdout; progress and errors go to stderr. Nothing is started, stopped, exec'd into
or modified.

Options:
  -o, --output DIR        where to write the bundle (default: current directory)
  --since TIME            incident window start, YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DD (logs)
  --until TIME            incident window end (same formats)
  --namespace NS          restrict namespaced Kubernetes objects to NS (default: all)
  --kubeconfig FILE       kubeconfig for kubectl
  --context NAME          kubeconfig context
  --etcd-endpoints URLS   etcd endpoints (default: from kube-apiserver / etcd manifests)
  --etcd-cacert FILE      etcd CA certificate
  --etcd-cert FILE        etcd client certificate
  --etcd-key FILE         etcd client key (read by etcdctl only, never copied)
  --etcd-snapshot         take an etcd snapshot (contains Secret values; off by default)
  --audit-log PATH        Kubernetes audit log (default: kube-apiserver --audit-log-path)
  --max-file-size SIZE    cap per log/copied file, keeps the newest bytes (default 50M)
  --docker-save IMAGE     `docker save` IMAGE into the bundle (repeatable or comma list)
  --max-save-size SIZE    skip a docker save larger than SIZE (default 1G)
  --skip LIST             comma list of sources to skip:
                          host,docker,cri,containerd,k8s,control-plane,etcd,ebpf
  --timeout SECONDS       time limit per command (default 60)
  --event-seconds SECONDS how long to read event streams such as tetra getevents (default 10)
  --keep-dir              keep the bundle directory next to the .tgz
  -h, --help              this help

SIZE accepts a K, M or G suffix. Exit status: 0 done (individual steps may have failed: see
commands.tsv), 2 usage error, 1 fatal error, 128+n interrupted by signal n (a partial bundle
is still written and its path printed).
EOF
}

# ---------------------------------------------------------------------------------------------
# small portable helpers

have() { command -v "$1" >/dev/null 2>&1; }

now_utc() { date -u +%Y-%m-%dT%H:%M:%SZ; }

# Epoch seconds: `date +%s` is not POSIX; awk's srand() returning the previous seed (the time
# of day) is, so it is the fallback.
now_epoch() {
	_ne=$(date -u +%s 2>/dev/null)
	case $_ne in
		'' | *[!0-9]*) _ne=$(awk 'BEGIN { srand(); print srand() }') ;;
	esac
	echo "$_ne"
}

# Epoch seconds to YYYY-mm-ddTHH:MM:SSZ in shell arithmetic (`date -d @N` is not portable).
# Civil-from-days algorithm (H. Hinnant), valid for the proleptic Gregorian calendar.
epoch_to_utc() {
	_s=$1
	_d=$((_s / 86400)); _r=$((_s % 86400))
	_z=$((_d + 719468)); _era=$((_z / 146097))
	_doe=$((_z - _era * 146097))
	_yoe=$(((_doe - _doe / 1460 + _doe / 36524 - _doe / 146096) / 365))
	_y=$((_yoe + _era * 400))
	_doy=$((_doe - (365 * _yoe + _yoe / 4 - _yoe / 100)))
	_mp=$(((5 * _doy + 2) / 153))
	_dd=$((_doy - (153 * _mp + 2) / 5 + 1))
	if [ "$_mp" -lt 10 ]; then _mm=$((_mp + 3)); else _mm=$((_mp - 9)); fi
	if [ "$_mm" -le 2 ]; then _y=$((_y + 1)); fi
	printf '%04d-%02d-%02dT%02d:%02d:%02dZ' "$_y" "$_mm" "$_dd" \
		$((_r / 3600)) $((_r % 3600 / 60)) $((_r % 60))
}

fsize() { # bytes in a regular file (wc -c is POSIX; stat is not)
	if [ -f "$1" ]; then wc -c <"$1" 2>/dev/null | tr -d ' '; else echo 0; fi
}

# Make a string safe as one path component.
safe_name() { printf '%s' "$1" | tr -c 'A-Za-z0-9._-' '_'; }

# A field for a TSV row: tabs, newlines and CRs become spaces.
tsv_field() { printf '%s' "$1" | tr '\t\r\n' '   '; }

to_bytes() { # 10M -> 10485760; echoes nothing on a bad value
	case $1 in
		*[!0-9KkMmGg]* | '' | [KkMmGg]*) return 1 ;;
		*[Kk]) echo $((${1%?} * 1024)) ;;
		*[Mm]) echo $((${1%?} * 1048576)) ;;
		*[Gg]) echo $((${1%?} * 1073741824)) ;;
		*) echo "$1" ;;
	esac
}

avail_bytes() { # free bytes on the filesystem holding $1 (df -P is POSIX)
	_ab=$(df -Pk "$1" 2>/dev/null | awk 'NR == 2 { print $4 }')
	case $_ab in '' | *[!0-9]*) echo -1 ;; *) echo $((_ab * 1024)) ;; esac
}

# ---------------------------------------------------------------------------------------------
# logging and bookkeeping

log() { # LEVEL message...
	_lv=$1; shift
	_line="$(now_utc) $_lv $*"
	printf '%s\n' "$_line" >&2
	if [ -n "${B:-}" ] && [ "${LOG_CLOSED:-0}" = 0 ]; then printf '%s\n' "$_line" >>"$B/collection.log"; fi
}

add_limit() { # something we could not collect, for meta.env LIMITS
	case ";$LIMITS;" in *";$1;"*) return 0 ;; esac
	if [ -z "$LIMITS" ]; then LIMITS=$1; else LIMITS="$LIMITS;$1"; fi
}

hash_of() { # prints the sha256 hex of a file with whatever tool exists
	case $HASH_TOOL in
		sha256sum) sha256sum <"$1" | awk '{ print $1 }' ;;
		shasum) shasum -a 256 <"$1" | awk '{ print $1 }' ;;
		openssl) openssl dgst -sha256 <"$1" | awk '{ print $NF }' ;;
		busybox) busybox sha256sum <"$1" | awk '{ print $1 }' ;;
		*) echo "" ;;
	esac
}

hash_file() { # REL: append "hex  REL" to SHA256SUMS right after REL was written
	[ -f "$B/$1" ] || return 0
	_h=$(hash_of "$B/$1")
	if [ -z "$_h" ]; then
		log WARN "could not hash $1"
		return 0
	fi
	printf '%s  %s\n' "$_h" "$1" >>"$B/SHA256SUMS"
}

step_begin() { # SOURCE COMMAND OUTPUT
	CUR_SRC=$1; CUR_CMD=$2; CUR_OUT=$3
	CUR_START=$(now_utc); CUR_T0=$(now_epoch)
}

step_end() { # STATUS EXIT NOTE
	_bytes=0
	if [ "$CUR_OUT" != - ]; then _bytes=$(fsize "$B/$CUR_OUT"); fi
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(tsv_field "$CUR_SRC")" \
		"$(tsv_field "$CUR_CMD")" "$1" "$2" "$CUR_START" "$(now_utc)" "$_bytes" \
		"$(tsv_field "$CUR_OUT")" "$(tsv_field "$3")" >>"$B/commands.tsv"
	case $1 in
		ok | bounded) ;;
		*) log INFO "[$CUR_SRC] $1: $CUR_CMD${3:+ ($3)}" ;;
	esac
	CUR_SRC=
}

# Record a step that was not run at all.
record() { # SOURCE COMMAND STATUS NOTE [OUTPUT]
	step_begin "$1" "$2" "${5:--}"
	step_end "$3" "$([ "$3" = missing ] && echo 127 || echo -)" "$4"
}

# ---------------------------------------------------------------------------------------------
# time limits

# All pids below $1 (children first in the list), through /proc so it works without procps.
descendants() {
	_todo=$1; _all=
	while [ -n "$_todo" ]; do
		_next=
		for _f in /proc/[0-9]*/stat; do
			{ read -r _st <"$_f"; } 2>/dev/null || continue
			_rest=${_st##*) }
			# shellcheck disable=SC2086 # word splitting of the stat fields is the point
			set -- $_rest
			for _p in $_todo; do
				if [ "${2:-}" = "$_p" ]; then
					_c=${_f#/proc/}; _c=${_c%/stat}
					_next="$_next $_c"
				fi
			done
		done
		_all="$_all $_next"
		_todo=$_next
	done
	echo "$_all"
}

kill_tree() { # PID SIGNAL: the process and everything below it
	for _k in $(descendants "$1") "$1"; do kill -s "$2" "$_k" 2>/dev/null; done
}

# Portable fallback for `timeout`: polls once a second so that it ends by itself soon after
# the job does (no stray long sleeps left behind), then TERM, then KILL the job's tree.
watchdog() { # PID SECONDS MARKER
	_wi=0
	while [ "$_wi" -lt "$2" ]; do
		sleep 1
		kill -0 "$1" 2>/dev/null || exit 0
		_wi=$((_wi + 1))
	done
	: >"$3"
	kill_tree "$1" TERM
	sleep 2
	kill_tree "$1" KILL
	exit 0
}

# Run "$@" under a time limit in the current (sub)shell; returns the command's status.
limited() { # SECONDS FORCE_WATCHDOG CMD...
	_lt=$1; _lw=$2; shift 2
	if [ "$_lw" = 0 ] && [ "$TIMEOUT_TOOL" = timeout ]; then
		timeout -k 5 "$_lt" "$@"
		return $?
	fi
	"$@" &
	_lp=$!
	watchdog "$_lp" "$_lt" "$WORK/timed-out" </dev/null >/dev/null 2>&1 &
	_lwp=$!
	wait "$_lp"
	_lr=$?
	kill "$_lwp" 2>/dev/null
	return "$_lr"
}

# run SOURCE OUTPUT CMD [ARGS...]
# Options through variables, reset after each call:
#   R_MERGE=1   stderr into the output (container logs)
#   R_CAP=N     keep only the last N bytes of stdout
#   R_STREAM=S  the command is a stream cut after S seconds: a cut is status "bounded"
#   R_FN=1      CMD is a shell function (always the watchdog)
#   R_DESC=...  what to write in commands.tsv instead of the argv
run() {
	_src=$1; _out=$2; shift 2
	_desc=${R_DESC:-$*}
	step_begin "$_src" "$_desc" "$_out"
	if [ "${R_FN:-0}" = 0 ] && ! have "$1"; then
		step_end missing 127 "$1 not found"
		R_MERGE=''; R_CAP=''; R_STREAM=''; R_FN=''; R_DESC=''
		return 127
	fi
	mkdir -p "$B/$(dirname "$_out")"
	_o=$B/$_out; _e=$B/$_out.stderr
	if [ -e "$_o" ]; then
		# Never leave a stale hash behind if an output path is reused.
		log WARN "output $_out written twice; the earlier hash is dropped"
		awk -v f="$_out" 'substr($0, 67) != f && substr($0, 67) != f ".stderr"' "$B/SHA256SUMS" >"$WORK/sums.tmp" &&
			cat "$WORK/sums.tmp" >"$B/SHA256SUMS"
		rm -f "$_e"
	fi
	_lim=${R_STREAM:-$TMO}
	rm -f "$WORK/timed-out" "$WORK/rc"
	if [ -n "${R_CAP:-}" ]; then
		if [ "${R_MERGE:-0}" = 1 ]; then
			{ limited "$_lim" "${R_FN:-0}" "$@" 2>&1; echo $? >"$WORK/rc"; } </dev/null | tail -c "$R_CAP" >"$_o" &
		else
			{ limited "$_lim" "${R_FN:-0}" "$@" 2>"$_e"; echo $? >"$WORK/rc"; } </dev/null | tail -c "$R_CAP" >"$_o" &
		fi
	elif [ "${R_MERGE:-0}" = 1 ]; then
		limited "$_lim" "${R_FN:-0}" "$@" </dev/null >"$_o" 2>&1 &
	else
		limited "$_lim" "${R_FN:-0}" "$@" </dev/null >"$_o" 2>"$_e" &
	fi
	CHILD=$!
	wait "$CHILD"
	_rc=$?
	CHILD=
	if [ -n "${R_CAP:-}" ]; then
		_rc=$(cat "$WORK/rc" 2>/dev/null)
		case $_rc in '' | *[!0-9]*) _rc=255 ;; esac
	fi
	_el=$(($(now_epoch) - CUR_T0))
	_note=
	_st=failed
	if [ -f "$WORK/timed-out" ] || [ "$_rc" = 124 ] || { [ "$_rc" -gt 128 ] && [ "$_el" -ge "$_lim" ]; }; then
		if [ -n "${R_STREAM:-}" ]; then
			_st=bounded; _note="stream read for ${_lim}s"
		else
			_st=timeout; _rc=124; _note="killed after ${_lim}s"
		fi
	elif [ "$_rc" = 0 ]; then
		_st=ok
	fi
	if [ -n "${R_CAP:-}" ] && [ "$(fsize "$_o")" -ge "$R_CAP" ]; then
		_note="${_note:+$_note; }truncated: output reached the cap of $R_CAP bytes, older bytes dropped"
	fi
	hash_file "$_out"
	if [ -s "$_e" ]; then
		hash_file "$_out.stderr"
		_note="${_note:+$_note; }stderr in $_out.stderr"
	else
		rm -f "$_e"
	fi
	step_end "$_st" "$_rc" "$_note"
	R_MERGE=''; R_CAP=''; R_STREAM=''; R_FN=''; R_DESC=''
	[ "$_st" = ok ] || [ "$_st" = bounded ]
}

# copy_file SOURCE PATH OUTPUT: byte copy of a host file, capped at MAX_FILE_SIZE (newest bytes
# kept) unless it is compressed, in which case an oversized file is skipped: half a gzip stream
# is useless.
copy_file() {
	_cs=$1; _cp=$2; _co=$3
	if [ ! -e "$_cp" ]; then
		record "$_cs" "[copy] $_cp" skipped "absent" "$_co"
		return 1
	fi
	if [ -d "$_cp" ]; then
		record "$_cs" "[copy] $_cp" skipped "is a directory" "$_co"
		return 1
	fi
	if [ ! -r "$_cp" ]; then
		record "$_cs" "[copy] $_cp" denied "not readable as uid $(id -u)" "$_co"
		add_limit "unreadable: $_cp"
		return 1
	fi
	_sz=$(fsize "$_cp")
	_cap=$MAX_FILE_SIZE
	case $_cp in
		*.gz | *.bz2 | *.xz | *.zst)
			if [ "$_sz" -gt "$_cap" ]; then
				record "$_cs" "[copy] $_cp" skipped "compressed file of $_sz bytes over the cap of $_cap bytes" "$_co"
				add_limit "over cap: $_cp"
				return 1
			fi ;;
	esac
	if [ "$_sz" -gt 16777216 ]; then
		_want=$_sz; [ "$_want" -gt "$_cap" ] && _want=$_cap
		if [ "$(avail_bytes "$B")" -ge 0 ] && [ "$(avail_bytes "$B")" -lt $((_want + RESERVE)) ]; then
			record "$_cs" "[copy] $_cp" skipped "not enough free space for $_want bytes" "$_co"
			add_limit "no space: $_cp"
			return 1
		fi
	fi
	if [ "$_sz" -gt "$_cap" ]; then
		R_DESC="[copy] $_cp" run "$_cs" "$_co" tail -c "$_cap" "$_cp"
		_crc=$?
		_fix="truncated: kept last $_cap of $_sz bytes"
	else
		R_DESC="[copy] $_cp" run "$_cs" "$_co" cat "$_cp"
		_crc=$?
		_fix=
	fi
	if [ -n "$_fix" ]; then
		# Append the truncation note to the row just written (last line of commands.tsv).
		note_last "$_fix"
		add_limit "truncated: $_cp"
	fi
	return "$_crc"
}

note_last() { # add a note to the last commands.tsv row
	_tmp=$WORK/commands.tsv.tmp
	awk -v n="$(tsv_field "$1")" 'BEGIN { FS = OFS = "\t" }
		{ if (prev != "") print prev; prev = $0 }
		END { split(prev, f, "\t"); if (f[9] == "") f[9] = n; else f[9] = f[9] "; " n
		      line = f[1]; for (i = 2; i <= 9; i++) line = line "\t" f[i]; print line }' \
		"$B/commands.tsv" >"$_tmp" && cat "$_tmp" >"$B/commands.tsv"
	rm -f "$_tmp"
}

# ---------------------------------------------------------------------------------------------
# finalisation and signals

write_meta() {
	{
		echo "CF_BUNDLE_FORMAT=$CF_BUNDLE_FORMAT"
		echo "CF_COLLECTOR_VERSION=$CF_COLLECTOR_VERSION"
		echo "HOST=$HOST_RAW"
		echo "START_UTC=$START_UTC"
		echo "END_UTC=$END_UTC"
		echo "UID=$MY_UID"
		echo "EUID=$MY_EUID"
		echo "USER=$MY_USER"
		echo "ROOT=$IS_ROOT"
		echo "ENV_DOCKER=$ENV_DOCKER"
		echo "ENV_CONTAINERD=$ENV_CONTAINERD"
		echo "ENV_CRIO=$ENV_CRIO"
		echo "ENV_KUBERNETES=$ENV_KUBERNETES"
		echo "ENV_IN_CONTAINER=$ENV_IN_CONTAINER"
		echo "PARTIAL=$PARTIAL"
		echo "PARTIAL_REASON=$PARTIAL_REASON"
		echo "HOST_NS_SOURCE=$HOST_NS_SOURCE"
		echo "HOST_NS_REASON=$HOST_NS_REASON"
		echo "CGROUP_VERSION=$CGROUP_VERSION"
		echo "KERNEL=$KERNEL"
		echo "SINCE=$SINCE"
		echo "UNTIL=$UNTIL"
		echo "NAMESPACE=$K8S_NS"
		echo "TIMEOUT=$TMO"
		echo "MAX_FILE_SIZE=$MAX_FILE_SIZE"
		echo "SKIP=$SKIP"
		echo "ETCD_SNAPSHOT=$ETCD_SNAPSHOT"
		echo "HASH_TOOL=$HASH_TOOL_NAME"
		echo "TIMEOUT_TOOL=$TIMEOUT_TOOL"
		echo "ARGS=$ARGS_TEXT"
		echo "LIMITS=$LIMITS"
	} | tr -d '\r' >"$B/meta.env"
}

FINALISED=0
finalize() {
	[ "$FINALISED" = 1 ] && return 0
	FINALISED=1
	END_UTC=$(now_utc)
	log INFO "finalising bundle (partial=$PARTIAL)"
	write_meta
	# Safety net: a file that escaped hashing (e.g. an output cut by a signal) is hashed now
	# and said so, so that SHA256SUMS always covers the whole bundle.
	(cd "$B" && find . -type f | sed 's|^\./||' | sort) >"$WORK/all-files" 2>/dev/null
	while IFS= read -r _ff; do
		case $_ff in SHA256SUMS | meta.env | commands.tsv | collection.log) continue ;; esac
		if ! awk -v f="$_ff" 'substr($0, 67) == f { found = 1 } END { exit !found }' "$B/SHA256SUMS"; then
			log WARN "hashed at finalisation (not right after writing): $_ff"
			hash_file "$_ff"
		fi
	done <"$WORK/all-files"
	LOG_CLOSED=1
	hash_file meta.env
	hash_file commands.tsv
	hash_file collection.log
	rm -rf "$WORK"
	_tgz=$OUT/$NAME.tgz
	# tar -z is not POSIX but GNU and busybox tar both have it; otherwise pipe through gzip.
	if ! (cd "$OUT" && tar -czf "$NAME.tgz.part" "$NAME") 2>/dev/null; then
		(cd "$OUT" && tar -cf - "$NAME" | gzip -c >"$NAME.tgz.part")
	fi
	if ! gzip -t "$_tgz.part" 2>/dev/null; then
		printf '%s\n' "collect.sh: could not write the archive; the bundle directory is $B" >&2
		rm -f "$_tgz.part"
		echo "$B"
		return 1
	fi
	mv -f "$_tgz.part" "$_tgz"
	chmod 600 "$_tgz"
	_th=$(hash_of "$_tgz")
	printf '%s  %s\n' "$_th" "$NAME.tgz" >"$_tgz.sha256"
	chmod 600 "$_tgz.sha256"
	if [ "$KEEP_DIR" = 0 ]; then rm -rf "$B"; fi
	printf '%s\n' "collect.sh: bundle $_tgz sha256 $_th" >&2
	echo "$_tgz"
}

on_signal() { # SIGNAME CODE
	trap '' INT TERM HUP
	PARTIAL=yes
	PARTIAL_REASON="interrupted by SIG$1"
	log WARN "received SIG$1: stopping the current step and writing a partial bundle"
	# Stop whatever is running (our own process tree only).
	_sd=$(descendants "$MAIN_PID")
	for _sp in $_sd; do kill -s TERM "$_sp" 2>/dev/null; done
	sleep 1
	for _sp in $_sd; do kill -s KILL "$_sp" 2>/dev/null; done
	if [ -n "${CUR_SRC:-}" ]; then
		_o=${CUR_OUT:--}
		if [ "$_o" != - ] && [ -f "$B/$_o" ]; then hash_file "$_o"; fi
		if [ "$_o" != - ] && [ -s "$B/$_o.stderr" ]; then hash_file "$_o.stderr"; else rm -f "$B/$_o.stderr"; fi
		step_end interrupted - "collector received SIG$1"
	fi
	add_limit "interrupted by SIG$1"
	finalize
	exit "$2"
}

# ---------------------------------------------------------------------------------------------
# argument parsing

OUT=.
SINCE=; UNTIL=; K8S_NS=; KUBECONFIG_ARG=; KCONTEXT=
ETCD_ENDPOINTS=; ETCD_CACERT=; ETCD_CERT=; ETCD_KEY=; ETCD_SNAPSHOT=no
AUDIT_LOG=; MAX_FILE_SIZE=52428800; MAX_SAVE_SIZE=1073741824; DOCKER_SAVE=
SKIP=; TMO=60; EVENT_SECONDS=10; KEEP_DIR=0
ARGS_TEXT=$*

die_usage() { printf 'collect.sh: %s\n' "$1" >&2; printf "Try 'collect.sh -h'.\n" >&2; exit 2; }

need_arg() { [ "$2" -ge 2 ] || die_usage "option $1 needs a value"; }

norm_time() { # accept YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ; print the full form
	case $1 in
		[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]) echo "$1T00:00:00Z" ;;
		[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]Z) echo "$1" ;;
		*) return 1 ;;
	esac
}

while [ $# -gt 0 ]; do
	_opt=$1
	case $_opt in
		--*=*) _val=${_opt#*=}; _opt=${_opt%%=*}; shift; set -- "$_opt" "$_val" "$@" ;;
	esac
	case $1 in
		-h | --help) usage; exit 0 ;;
		-o | --output) need_arg "$1" $#; OUT=$2; shift 2 ;;
		--since) need_arg "$1" $#; SINCE=$(norm_time "$2") || die_usage "bad --since '$2'"; shift 2 ;;
		--until) need_arg "$1" $#; UNTIL=$(norm_time "$2") || die_usage "bad --until '$2'"; shift 2 ;;
		--namespace | -n) need_arg "$1" $#; K8S_NS=$2; shift 2 ;;
		--kubeconfig) need_arg "$1" $#; KUBECONFIG_ARG=$2; shift 2 ;;
		--context) need_arg "$1" $#; KCONTEXT=$2; shift 2 ;;
		--etcd-endpoints) need_arg "$1" $#; ETCD_ENDPOINTS=$2; shift 2 ;;
		--etcd-cacert) need_arg "$1" $#; ETCD_CACERT=$2; shift 2 ;;
		--etcd-cert) need_arg "$1" $#; ETCD_CERT=$2; shift 2 ;;
		--etcd-key) need_arg "$1" $#; ETCD_KEY=$2; shift 2 ;;
		--etcd-snapshot) ETCD_SNAPSHOT=yes; shift ;;
		--audit-log) need_arg "$1" $#; AUDIT_LOG=$2; shift 2 ;;
		--max-file-size) need_arg "$1" $#; MAX_FILE_SIZE=$(to_bytes "$2") || die_usage "bad size '$2'"; shift 2 ;;
		--max-save-size) need_arg "$1" $#; MAX_SAVE_SIZE=$(to_bytes "$2") || die_usage "bad size '$2'"; shift 2 ;;
		--docker-save) need_arg "$1" $#; DOCKER_SAVE="${DOCKER_SAVE:+$DOCKER_SAVE,}$2"; shift 2 ;;
		--skip) need_arg "$1" $#; SKIP="${SKIP:+$SKIP,}$2"; shift 2 ;;
		--timeout) need_arg "$1" $#; TMO=$2; shift 2 ;;
		--event-seconds) need_arg "$1" $#; EVENT_SECONDS=$2; shift 2 ;;
		--keep-dir) KEEP_DIR=1; shift ;;
		*) die_usage "unknown argument '$1'" ;;
	esac
done
case $TMO in '' | *[!0-9]* | 0) die_usage "--timeout needs a positive integer" ;; esac
case $EVENT_SECONDS in '' | *[!0-9]* | 0) die_usage "--event-seconds needs a positive integer" ;; esac
[ "$MAX_FILE_SIZE" -gt 0 ] 2>/dev/null || die_usage "--max-file-size must be positive"
for _s in $(echo "$SKIP" | tr ',' ' '); do
	case $_s in
		host | docker | cri | containerd | k8s | control-plane | etcd | ebpf) ;;
		*) die_usage "unknown source '$_s' in --skip" ;;
	esac
done
skipped() { case ",$SKIP," in *",$1,"*) return 0 ;; esac; return 1; }

# ---------------------------------------------------------------------------------------------
# set-up

if ! mkdir -p "$OUT" 2>/dev/null || [ ! -w "$OUT" ]; then
	printf 'collect.sh: cannot write to output directory %s\n' "$OUT" >&2
	exit 1
fi
OUT=$(cd "$OUT" && pwd) || exit 1

HOST_RAW=$(hostname 2>/dev/null || cat /proc/sys/kernel/hostname 2>/dev/null || uname -n)
HOST_SAFE=$(safe_name "$HOST_RAW")
[ -n "$HOST_SAFE" ] || HOST_SAFE=unknown
while :; do
	STAMP=$(date -u +%Y%m%dT%H%M%SZ)
	NAME=cf-bundle-$HOST_SAFE-$STAMP
	# Two runs in the same second must not share a bundle.
	if mkdir "$OUT/$NAME" 2>/dev/null; then break; fi
	sleep 1
done
B=$OUT/$NAME
# Scratch space lives beside the bundle, never in /tmp, so nothing outside -o DIR is written.
WORK=$OUT/.cf-work-$STAMP-$$
mkdir -p "$WORK" || exit 1
START_UTC=$(now_utc)
: >"$B/SHA256SUMS"
: >"$B/collection.log"
printf 'source\tcommand\tstatus\texit\tstart_utc\tend_utc\tbytes\toutput\tnote\n' >"$B/commands.tsv"

MY_UID=$(id -u 2>/dev/null || echo -); MY_EUID=$MY_UID
MY_USER=$(id -un 2>/dev/null || echo -)
if [ "$MY_UID" = 0 ]; then IS_ROOT=yes; else IS_ROOT=no; fi
KERNEL=$(uname -r 2>/dev/null)
PARTIAL=no; PARTIAL_REASON=; LIMITS=
ENV_DOCKER=no; ENV_CONTAINERD=no; ENV_CRIO=no; ENV_KUBERNETES=no; ENV_IN_CONTAINER=no
HOST_NS_SOURCE=; HOST_NS_REASON=; CGROUP_VERSION=; CUR_SRC=; CHILD=
R_MERGE=; R_CAP=; R_STREAM=; R_FN=; R_DESC=
RESERVE=67108864 # keep 64 MiB free on the output filesystem: the responder's host must not fill up

if have sha256sum; then HASH_TOOL=sha256sum; HASH_TOOL_NAME=sha256sum
elif have shasum; then HASH_TOOL=shasum; HASH_TOOL_NAME="shasum -a 256"
elif have openssl; then HASH_TOOL=openssl; HASH_TOOL_NAME="openssl dgst -sha256"
elif have busybox; then HASH_TOOL=busybox; HASH_TOOL_NAME="busybox sha256sum"
else HASH_TOOL=none; HASH_TOOL_NAME=none; add_limit "no sha256 tool: files are not hashed"
fi

# GNU and modern busybox `timeout SECS CMD` with -k; anything else gets the watchdog.
if have timeout && timeout -k 1 5 true 2>/dev/null; then TIMEOUT_TOOL=timeout; else TIMEOUT_TOOL=watchdog; fi
# Test hook: force the portable fallback so that both paths are exercised.
[ "${CF_FORCE_WATCHDOG:-0}" = 1 ] && TIMEOUT_TOOL=watchdog

MAIN_PID=$$
trap 'on_signal INT 130' INT
trap 'on_signal TERM 143' TERM
trap 'on_signal HUP 129' HUP

log INFO "collect.sh $CF_COLLECTOR_VERSION on $HOST_RAW as uid $MY_UID; bundle $B"
log INFO "time limit ${TMO}s per command ($TIMEOUT_TOOL); hashes with $HASH_TOOL_NAME; cap $MAX_FILE_SIZE bytes"
if [ "$IS_ROOT" = no ]; then
	log WARN "not running as root: other users' processes, the docker socket and control-plane files may be unreadable"
	add_limit "not root (uid $MY_UID): process, namespace and daemon data of other users may be missing"
fi

KCACHE=$WORK/kube-cache

# ---------------------------------------------------------------------------------------------
# environment detection

detect_row() { printf '%s\t%s\t%s\n' "$1" "$2" "$(tsv_field "$3")" >>"$WORK/detection.tsv"; }

proc_running() { # is a process whose comm is $1 running (first pid printed)
	for _pf in /proc/[0-9]*/comm; do
		{ read -r _pc <"$_pf"; } 2>/dev/null || continue
		if [ "$_pc" = "$1" ]; then _pp=${_pf#/proc/}; echo "${_pp%/comm}"; return 0; fi
	done
	return 1
}

container_cgroup_hint() { # does a cgroup file name a container runtime
	grep -E -q 'docker|kubepods|containerd|crio|libpod|lxc|garden' "$1" 2>/dev/null
}

detect_environment() {
	printf 'check\tresult\tdetail\n' >"$WORK/detection.tsv"
	if [ -e /.dockerenv ]; then detect_row dockerenv yes /.dockerenv; ENV_IN_CONTAINER=yes; else detect_row dockerenv no ""; fi
	if [ -e /run/.containerenv ]; then detect_row containerenv yes /run/.containerenv; ENV_IN_CONTAINER=yes; else detect_row containerenv no ""; fi
	if container_cgroup_hint /proc/1/cgroup; then
		detect_row proc1-cgroup yes "$(grep -E 'docker|kubepods|containerd|crio|libpod|lxc' /proc/1/cgroup | head -n 1)"
		ENV_IN_CONTAINER=yes
	else detect_row proc1-cgroup no "$([ -r /proc/1/cgroup ] && echo readable || echo unreadable)"
	fi
	if container_cgroup_hint /proc/self/cgroup; then
		detect_row self-cgroup yes "$(grep -E 'docker|kubepods|containerd|crio|libpod|lxc' /proc/self/cgroup | head -n 1)"
		ENV_IN_CONTAINER=yes
	else detect_row self-cgroup no ""
	fi
	if [ -d /var/run/secrets/kubernetes.io ]; then
		detect_row k8s-serviceaccount yes /var/run/secrets/kubernetes.io; ENV_KUBERNETES=yes
		ENV_IN_CONTAINER=yes
	else detect_row k8s-serviceaccount no ""
	fi
	_dp=$(proc_running dockerd)
	if [ -n "$_dp" ] || [ -S /var/run/docker.sock ]; then ENV_DOCKER=yes; fi
	detect_row dockerd "$([ -n "$_dp" ] && echo yes || echo no)" "${_dp:+pid $_dp}"
	_cp=$(proc_running containerd)
	if [ -n "$_cp" ] || [ -S /run/containerd/containerd.sock ]; then ENV_CONTAINERD=yes; fi
	detect_row containerd "$([ -n "$_cp" ] && echo yes || echo no)" "${_cp:+pid $_cp}"
	_op=$(proc_running crio)
	if [ -n "$_op" ] || [ -S /var/run/crio/crio.sock ]; then ENV_CRIO=yes; fi
	detect_row crio "$([ -n "$_op" ] && echo yes || echo no)" "${_op:+pid $_op}"
	_kp=$(proc_running kubelet)
	if [ -n "$_kp" ] || [ -d /etc/kubernetes/manifests ]; then ENV_KUBERNETES=yes; fi
	detect_row kubelet "$([ -n "$_kp" ] && echo yes || echo no)" "${_kp:+pid $_kp}"
	for _t in docker ctr crictl kubectl etcdctl journalctl dive tetra falco tracee; do
		if have "$_t"; then detect_row "tool-$_t" yes "$(command -v "$_t")"; else detect_row "tool-$_t" no ""; fi
	done
}

collect_env() {
	log INFO "detecting the environment"
	# Probed in the main shell (the results steer the rest), then stored like any output.
	detect_environment
	R_FN=1 R_DESC="[internal] environment probes" run env env/detection.tsv emit detection.tsv
	copy_file env /proc/self/cgroup env/self-cgroup.txt
	copy_file env /proc/1/cgroup env/proc1-cgroup.txt
	if [ -d /var/run/secrets/kubernetes.io/serviceaccount ]; then
		# The listing and the namespace only: the token is a credential, never copied.
		run env env/serviceaccount-listing.txt ls -la /var/run/secrets/kubernetes.io/serviceaccount/
		copy_file env /var/run/secrets/kubernetes.io/serviceaccount/namespace env/serviceaccount-namespace.txt
	fi
	# Tool probes that double as evidence; their exit status decides what follows.
	if ! skipped docker; then
		if R_DESC="docker info --format {{json .}}" run docker docker/info.json docker info --format '{{json .}}'; then ENV_DOCKER=yes; DOCKER_OK=1; fi
	fi
	if ! skipped containerd; then
		# Docker 20.10 without a system containerd runs its own, on a socket ctr does not try.
		CTR_ADDR=${CONTAINERD_ADDRESS:-}
		if [ -z "$CTR_ADDR" ] && [ ! -S /run/containerd/containerd.sock ] && [ -S /var/run/docker/containerd/containerd.sock ]; then
			CTR_ADDR=/var/run/docker/containerd/containerd.sock
			log INFO "using dockerd's own containerd at $CTR_ADDR"
		fi
		if ctrc containerd/version.txt version; then ENV_CONTAINERD=yes; CTR_OK=1; fi
	fi
	if ! skipped cri; then
		if run cri cri/version.txt crictl version; then
			CRICTL_OK=1
			if grep -qi 'cri-o' "$B/cri/version.txt" 2>/dev/null; then ENV_CRIO=yes; else ENV_CONTAINERD=yes; fi
		fi
	fi
	if ! skipped k8s; then
		if kube k8s k8s/cluster-info.txt cluster-info; then ENV_KUBERNETES=yes; K8S_OK=1; fi
	fi
}


# ---------------------------------------------------------------------------------------------
# host context

# The process table from /proc: one format on every host (procps and busybox ps differ).
proc_tables() { # writes processes.tsv, proc-status.tsv, proc-ns.tsv, proc-cgroup.tsv raw parts
	_clk=$(getconf CLK_TCK 2>/dev/null)
	case $_clk in '' | *[!0-9]*) _clk=100 ;; esac
	_btime=$(awk '$1 == "btime" { print $2 }' /proc/stat 2>/dev/null)
	case $_btime in '' | *[!0-9]*) _btime=0 ;; esac
	printf 'pid\tppid\tuid\tstart_epoch\tstart_utc\tstate\tcomm\targs\n' >"$WORK/processes.raw"
	printf 'pid\tname\tuid\tgid\tcap_eff\tcap_prm\tcap_bnd\tseccomp\tno_new_privs\n' >"$WORK/proc-status.tsv"
	printf 'pid\tns\tlink\n' >"$WORK/proc-ns.tsv"
	printf 'pid\tline\n' >"$WORK/proc-cgroup.tsv"
	for _d in /proc/[0-9]*; do
		_pid=${_d#/proc/}
		{ read -r _stat <"$_d/stat"; } 2>/dev/null || continue
		_comm=${_stat#*(}; _comm=${_comm%)*}
		_rest=${_stat##*) }
		set -f
		# shellcheck disable=SC2086 # split the stat fields
		set -- $_rest
		set +f
		_state=$1; _ppid=$2
		shift 19 2>/dev/null || set --
		_start=${1:-}
		case $_start in '' | *[!0-9]*) _se=-; _su=- ;; *) _se=$((_btime + _start / _clk)); _su=$(epoch_to_utc "$_se") ;; esac
		# One awk per process (a shell loop over status would fork per line).
		_stl=$(awk -F '\t' 'BEGIN { n = u = g = ce = cp = cb = sc = nn = "-" }
			$1 == "Name:" { n = $2 } $1 == "Uid:" { u = $2 "," $3 "," $4 "," $5 }
			$1 == "Gid:" { g = $2 "," $3 "," $4 "," $5 } $1 == "CapEff:" { ce = $2 }
			$1 == "CapPrm:" { cp = $2 } $1 == "CapBnd:" { cb = $2 } $1 == "Seccomp:" { sc = $2 }
			$1 == "NoNewPrivs:" { nn = $2 }
			END { print n "\t" u "\t" g "\t" ce "\t" cp "\t" cb "\t" sc "\t" nn }' "$_d/status" 2>/dev/null)
		[ -n "$_stl" ] || _stl="-	-	-	-	-	-	-	-"
		_uids=$(printf '%s' "$_stl" | cut -f 2)
		_euid=${_uids#*,}; _euid=${_euid%%,*}
		_args=$(tr '\000\t\r\n' '    ' <"$_d/cmdline" 2>/dev/null)
		_args=${_args% }
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$_pid" "$_ppid" "$_euid" "$_se" "$_su" "$_state" \
			"$(tsv_field "$_comm")" "$_args" >>"$WORK/processes.raw"
		printf '%s\t%s\n' "$_pid" "$_stl" >>"$WORK/proc-status.tsv"
		for _n in "$_d"/ns/*; do
			[ -e "$_n" ] || [ -L "$_n" ] || continue
			_link=$(readlink_portable "$_n"); [ -n "$_link" ] || _link=-
			printf '%s\t%s\t%s\n' "$_pid" "${_n##*/}" "$_link" >>"$WORK/proc-ns.tsv"
		done
		if [ -r "$_d/cgroup" ]; then
			while IFS= read -r _l; do
				printf '%s\t%s\n' "$_pid" "$(tsv_field "$_l")"
			done <"$_d/cgroup" >>"$WORK/proc-cgroup.tsv" 2>/dev/null
		fi
	done
	# user names from the host's passwd, joined once at the end (no fork per process)
	awk 'BEGIN { FS = OFS = "\t" }
		FILENAME == "/etc/passwd" { split($0, p, ":"); if (!(p[3] in u)) u[p[3]] = p[1]; next }
		FNR == 1 { print "pid", "ppid", "uid", "user", "start_epoch", "start_utc", "state", "comm", "args"; next }
		{ n = ($3 in u) ? u[$3] : "-"; print $1, $2, $3, n, $4, $5, $6, $7, $8 }' \
		/etc/passwd "$WORK/processes.raw" >"$WORK/processes.tsv" 2>/dev/null ||
		awk 'BEGIN { FS = OFS = "\t" } FNR == 1 { print "pid", "ppid", "uid", "user", "start_epoch", "start_utc", "state", "comm", "args"; next }
		{ print $1, $2, $3, "-", $4, $5, $6, $7, $8 }' "$WORK/processes.raw" >"$WORK/processes.tsv"
}

readlink_portable() {
	if have readlink; then readlink "$1" 2>/dev/null; return; fi
	# ls -l prints "name -> target"; the names here are kernel ns names, plain ASCII
	# shellcheck disable=SC2012
	ls -l "$1" 2>/dev/null | sed -n 's/.* -> //p'
}

host_ns_reference() {
	printf 'pid\tns\tlink\n'
	_ok=0
	for _n in /proc/1/ns/*; do
		_link=$(readlink_portable "$_n")
		if [ -n "$_link" ]; then _ok=1; printf '1\t%s\t%s\n' "${_n##*/}" "$_link"; fi
	done
	if [ "$_ok" = 1 ]; then
		echo "/proc/1/ns|" >"$WORK/nssource"
		return 0
	fi
	# readlink is silent on errors; ls says why ("Permission denied").
	# shellcheck disable=SC2012
	_why=$(ls -l /proc/1/ns/pid 2>&1 >/dev/null | sed 's/.*: //' | head -n 1)
	[ -n "$_why" ] || _why="no readable entry"
	# The collector's own namespaces are the host's when it runs on the host (the usual case);
	# ENV_IN_CONTAINER tells the analyst when that assumption fails.
	_self=$MAIN_PID
	for _n in /proc/"$_self"/ns/*; do
		_link=$(readlink_portable "$_n")
		[ -n "$_link" ] && printf '%s\t%s\t%s\n' "$_self" "${_n##*/}" "$_link"
	done
	echo "/proc/self/ns|/proc/1/ns unreadable ($_why) even as uid $MY_UID; using the collector's own namespaces (pid $_self), which are the host's unless ENV_IN_CONTAINER=yes" >"$WORK/nssource"
}

# cgroup v1 escape knobs: release_agent at each hierarchy root, notify_on_release where set.
cgroup_release_agent() {
	printf 'path\tvalue\n'
	for _ra in /sys/fs/cgroup/*/release_agent /sys/fs/cgroup/release_agent; do
		[ -e "$_ra" ] || continue
		_v=$(cat "$_ra" 2>/dev/null)
		printf '%s\t%s\n' "$_ra" "$(tsv_field "$_v")"
		_root=${_ra%/release_agent}
		if [ -r "$_root/notify_on_release" ]; then
			printf '%s\t%s\n' "$_root/notify_on_release" "$(cat "$_root/notify_on_release" 2>/dev/null)"
		fi
	done
	find /sys/fs/cgroup -mindepth 2 -name notify_on_release 2>/dev/null | while IFS= read -r _nf; do
		{ read -r _v <"$_nf"; } 2>/dev/null || continue
		[ "$_v" = 0 ] || printf '%s\t%s\n' "$_nf" "$_v"
	done
}

kernel_knobs() {
	printf 'path\tvalue\n'
	for _kf in /proc/sys/kernel/core_pattern /proc/sys/kernel/modprobe /sys/kernel/uevent_helper \
		/proc/sys/kernel/unprivileged_userns_clone /proc/sys/user/max_user_namespaces; do
		[ -r "$_kf" ] || continue
		printf '%s\t%s\n' "$_kf" "$(tsv_field "$(cat "$_kf" 2>/dev/null)")"
	done
	for _bf in /proc/sys/fs/binfmt_misc/*; do
		case ${_bf##*/} in register | status | '*') continue ;; esac
		[ -r "$_bf" ] || continue
		printf '%s\t%s\n' "$_bf" "$(tsv_field "$(grep '^interpreter' "$_bf" 2>/dev/null)")"
	done
}

DAEMONS="dockerd containerd containerd-shim containerd-shim-runc-v2 runc crio conmon kubelet kube-apiserver etcd falco tetragon tracee"
daemon_cmdlines() { # [COMM]: pid<TAB>comm<TAB>args, or pid<TAB>args for one daemon
	if [ -n "${1:-}" ]; then printf 'pid\targs\n'; else printf 'pid\tcomm\targs\n'; fi
	for _pf in /proc/[0-9]*/comm; do
		{ read -r _pc <"$_pf"; } 2>/dev/null || continue
		_pd=${_pf%/comm}; _pid=${_pd#/proc/}
		if [ -n "${1:-}" ]; then
			[ "$_pc" = "$1" ] || continue
			printf '%s\t%s\n' "$_pid" "$(tr '\000\t\r\n' '    ' <"$_pd/cmdline" 2>/dev/null | sed 's/ $//')"
		else
			case " $DAEMONS " in *" $_pc "*) ;; *) case $_pc in containerd-shim*) ;; *) continue ;; esac ;; esac
			printf '%s\t%s\t%s\n' "$_pid" "$_pc" "$(tr '\000\t\r\n' '    ' <"$_pd/cmdline" 2>/dev/null | sed 's/ $//')"
		fi
	done
}

emit() { cat "$WORK/$1"; } # print a table built in WORK so run() stores and hashes it

collect_host() {
	skipped host && { record host "host context" skipped "--skip host"; return; }
	log INFO "collecting host context"
	run host host/uname.txt uname -a
	if [ -e /etc/os-release ]; then copy_file host /etc/os-release host/os-release.txt
	else copy_file host /usr/lib/os-release host/os-release.txt; fi
	if have hostname; then run host host/hostname.txt hostname
	else copy_file host /proc/sys/kernel/hostname host/hostname.txt; fi
	R_DESC="date -u +%Y-%m-%dT%H:%M:%SZ" run host host/date-utc.txt date -u +%Y-%m-%dT%H:%M:%SZ
	run host host/uptime.txt uptime
	copy_file host /proc/uptime host/proc-uptime.txt
	run host host/id.txt id
	copy_file host /proc/self/mounts host/mounts.txt
	copy_file host /proc/self/mountinfo host/mountinfo.txt
	# procps first (has start time), then busybox's limited ps, then bare ps.
	# procps first (has start time), then busybox's limited ps, then bare ps; the probe is
	# time-limited too but not recorded: one ps.txt, one row, the variant in its command.
	if limited 10 0 ps -eo pid,ppid,user,lstart,args >/dev/null 2>&1 </dev/null; then
		run host host/ps.txt ps -eo pid,ppid,user,lstart,args
	elif limited 10 0 ps -o pid,ppid,user,args >/dev/null 2>&1 </dev/null; then
		run host host/ps.txt ps -o pid,ppid,user,args
	else
		run host host/ps.txt ps
	fi
	log INFO "reading /proc for every process (table, status, namespaces, cgroups)"
	# One watchdog-bounded pass over /proc; the four tables are then stored as separate files.
	R_FN=1 R_DESC="[internal] read /proc/<pid>/{stat,status,cmdline,ns,cgroup} of every process" \
		run host host/processes.tsv proc_tables_and_print
	for _t in proc-status.tsv proc-ns.tsv proc-cgroup.tsv; do
		if [ -f "$WORK/$_t" ]; then
			R_FN=1 R_DESC="[internal] /proc table $_t" run host "host/$_t" emit "$_t"
		fi
	done
	R_FN=1 R_DESC="[internal] host reference namespaces (/proc/1/ns, else /proc/self/ns)" \
		run host host/ns-reference.tsv host_ns_reference
	if [ -f "$WORK/nssource" ]; then
		_nss=$(cat "$WORK/nssource")
		HOST_NS_SOURCE=${_nss%%|*}; HOST_NS_REASON=${_nss#*|}
		[ "$HOST_NS_SOURCE" = /proc/self/ns ] && add_limit "host namespaces from /proc/self/ns: /proc/1/ns unreadable"
		[ "$HOST_NS_SOURCE" = /proc/self/ns ] && log WARN "$HOST_NS_REASON"
	fi
	if have ss; then
		run host host/listening.txt ss -tlnp
		run host host/sockets.txt ss -tuanp
	elif have netstat; then
		run host host/listening.txt netstat -tlnp
		run host host/sockets.txt netstat -tuanp
	else
		record host "ss -tlnp" missing "neither ss nor netstat" host/listening.txt
		add_limit "no ss/netstat: listening sockets not collected"
	fi
	R_FN=1 R_DESC="[internal] cgroup v1 release_agent / notify_on_release" \
		run host host/cgroup-release-agent.tsv cgroup_release_agent
	copy_file host /proc/sys/kernel/core_pattern host/core-pattern.txt
	R_FN=1 R_DESC="[internal] kernel escape knobs (core_pattern, modprobe, uevent_helper, binfmt_misc)" \
		run host host/kernel-knobs.tsv kernel_knobs
	R_FN=1 R_DESC="[internal] container/k8s daemon command lines from /proc" \
		run host host/daemon-cmdlines.tsv daemon_cmdlines
}

proc_tables_and_print() { proc_tables; cat "$WORK/processes.tsv"; }

cgroup_version() {
	if [ -f /sys/fs/cgroup/cgroup.controllers ]; then CGROUP_VERSION=2
	elif [ -d /sys/fs/cgroup/unified ] && [ -f /sys/fs/cgroup/unified/cgroup.controllers ]; then CGROUP_VERSION=hybrid
	else CGROUP_VERSION=1
	fi
}

# ---------------------------------------------------------------------------------------------
# Docker

# Pull values of one JSON key out of JSON lines without jq, keeping only safe tokens.
json_values() { # FILE KEY
	sed -n "s/.*\"$2\": *\"\\([^\"]*\\)\".*/\\1/p" "$1" 2>/dev/null | grep -E '^[A-Za-z0-9][A-Za-z0-9_.:@/-]*$'
}
json_values_all() { # every occurrence, one per line (pretty-printed JSON, e.g. crictl)
	grep -o "\"$2\": *\"[^\"]*\"" "$1" 2>/dev/null | sed 's/.*: *"//; s/"$//' | grep -E '^[A-Za-z0-9][A-Za-z0-9_.:@/-]*$'
}

collect_docker() {
	skipped docker && { record docker "docker" skipped "--skip docker"; return; }
	if ! have docker; then
		record docker "docker" missing "docker CLI not found"
		[ "$ENV_DOCKER" = yes ] && add_limit "dockerd present but no docker CLI"
		return
	fi
	log INFO "collecting Docker"
	R_DESC="docker version --format {{json .}}" run docker docker/version.json docker version --format '{{json .}}'
	if [ "${DOCKER_OK:-0}" != 1 ]; then
		log WARN "docker info failed: daemon unreachable or permission denied; remaining docker steps skipped"
		add_limit "docker daemon not reachable (see docker/info.json.stderr)"
		record docker "docker ps/inspect/images/..." skipped "docker info failed"
		docker_files
		return
	fi
	R_DESC="docker ps -a --no-trunc --format {{json .}}" run docker docker/ps.jsonl docker ps -a --no-trunc --format '{{json .}}'
	_running=" $(grep '"State":"running"' "$B/docker/ps.jsonl" 2>/dev/null | sed -n 's/.*"ID":"\([0-9a-f]*\)".*/\1/p' | tr '\n' ' ') "
	for _id in $(json_values "$B/docker/ps.jsonl" ID | grep -E '^[0-9a-f]{12,64}$'); do
		_cd=docker/containers/$_id
		run docker "$_cd/inspect.json" docker inspect "$_id"
		run docker "$_cd/diff.txt" docker diff "$_id"
		case $_running in
			*" $_id "*) run docker "$_cd/top.txt" docker top "$_id" ;;
			*) record docker "docker top $_id" skipped "container not running" "$_cd/top.txt" ;;
		esac
		set -- docker logs --timestamps
		[ -n "$SINCE" ] && set -- "$@" --since "$SINCE"
		[ -n "$UNTIL" ] && set -- "$@" --until "$UNTIL"
		R_MERGE=1 R_CAP=$MAX_FILE_SIZE run docker "$_cd/logs.txt" "$@" "$_id"
	done
	R_DESC="docker images --digests --no-trunc --format {{json .}}" run docker docker/images.jsonl docker images --digests --no-trunc --format '{{json .}}'
	for _iid in $(json_values "$B/docker/images.jsonl" ID | sed 's/^sha256://' | grep -E '^[0-9a-f]{12,64}$' | sort -u); do
		_idir=docker/images/$_iid
		run docker "$_idir/inspect.json" docker image inspect "$_iid"
		R_DESC="docker history --no-trunc --format {{json .}} $_iid" run docker "$_idir/history.jsonl" docker history --no-trunc --format '{{json .}}' "$_iid"
		if have dive; then
			mkdir -p "$B/$_idir"
			# dive writes its JSON report to a file; keep temp files inside our work dir.
			R_DESC="dive --json $_idir/dive.json $_iid" run docker "$_idir/dive-run.txt" \
				env TMPDIR="$WORK" dive --json "$B/$_idir/dive.json" "$_iid"
			hash_file "$_idir/dive.json"
			R_DESC="dive --ci $_iid" run docker "$_idir/dive-ci.txt" env TMPDIR="$WORK" CI=true dive --ci "$_iid"
		fi
	done
	have dive || record docker "dive" missing "dive not installed: no layer efficiency report"
	R_DESC="docker volume ls --format {{json .}}" run docker docker/volumes.jsonl docker volume ls --format '{{json .}}'
	_vols=$(json_values "$B/docker/volumes.jsonl" Name | tr '\n' ' ')
	if [ -n "${_vols% }" ]; then
		# shellcheck disable=SC2086 # one argument per volume name (validated tokens)
		run docker docker/volumes-inspect.json docker volume inspect $_vols
	fi
	R_DESC="docker network ls --no-trunc --format {{json .}}" run docker docker/networks.jsonl docker network ls --no-trunc --format '{{json .}}'
	_nets=$(json_values "$B/docker/networks.jsonl" ID | tr '\n' ' ')
	if [ -n "${_nets% }" ]; then
		# shellcheck disable=SC2086
		run docker docker/networks-inspect.json docker network inspect $_nets
	fi
	docker_files
	docker_save
}

docker_files() {
	copy_file docker /etc/docker/daemon.json docker/daemon.json
	R_FN=1 R_DESC="[internal] /proc/<pid>/cmdline of dockerd" run docker docker/dockerd-cmdline.tsv daemon_cmdlines dockerd
}

docker_save() {
	[ -n "$DOCKER_SAVE" ] || return 0
	for _ref in $(echo "$DOCKER_SAVE" | tr ',' ' '); do
		_sf=docker/save/$(safe_name "$_ref").tar
		_isz=$(limited "$TMO" 0 docker image inspect --format '{{.Size}}' "$_ref" 2>/dev/null </dev/null)
		case $_isz in '' | *[!0-9]*)
			record docker "docker save $_ref" skipped "image not found or size unknown" "$_sf"; continue ;;
		esac
		if [ "$_isz" -gt "$MAX_SAVE_SIZE" ]; then
			record docker "docker save $_ref" skipped "image is $_isz bytes, over --max-save-size $MAX_SAVE_SIZE" "$_sf"
			add_limit "docker save skipped (size): $_ref"
			continue
		fi
		_free=$(avail_bytes "$B")
		if [ "$_free" -ge 0 ] && [ "$_free" -lt $((_isz + _isz / 5 + RESERVE)) ]; then
			record docker "docker save $_ref" skipped "not enough free space ($_free bytes) for $_isz bytes" "$_sf"
			add_limit "docker save skipped (space): $_ref"
			continue
		fi
		mkdir -p "$B/docker/save"
		# A save is slow: give it ten time limits.
		_otmo=$TMO; TMO=$((TMO * 10))
		run docker "$_sf" docker save "$_ref"
		TMO=$_otmo
	done
}

# ---------------------------------------------------------------------------------------------
# containerd / CRI-O

collect_cri() {
	skipped cri && { record cri "crictl" skipped "--skip cri"; return; }
	have crictl || { record cri "crictl" missing "crictl not installed"; return; }
	if [ "${CRICTL_OK:-0}" != 1 ]; then
		record cri "crictl info/pods/ps/..." skipped "crictl version failed: no CRI runtime reachable"
		return
	fi
	log INFO "collecting CRI (crictl)"
	run cri cri/info.json crictl info
	run cri cri/pods.json crictl pods -o json
	run cri cri/ps.json crictl ps -a -o json
	run cri cri/images.json crictl images -o json
	for _id in $(json_values_all "$B/cri/ps.json" id | grep -E '^[0-9a-f]{12,64}$'); do
		run cri "cri/containers/$_id/inspect.json" crictl inspect "$_id"
		set -- crictl logs --timestamps
		[ -n "$SINCE" ] && set -- "$@" --since "$SINCE"
		R_MERGE=1 R_CAP=$MAX_FILE_SIZE run cri "cri/containers/$_id/logs.txt" "$@" "$_id"
	done
	for _id in $(json_values_all "$B/cri/pods.json" id | grep -E '^[0-9a-f]{12,64}$'); do
		run cri "cri/pods/$_id/inspectp.json" crictl inspectp "$_id"
	done
	for _id in $(json_values_all "$B/cri/images.json" id | sed 's/^sha256://' | grep -E '^[0-9a-f]{12,64}$' | sort -u); do
		run cri "cri/images/$_id/inspecti.json" crictl inspecti "$_id"
	done
}

ctrc() { # OUTPUT ARGS...: ctr on the detected containerd socket
	_co=$1; shift
	if [ -n "${CTR_ADDR:-}" ]; then set -- ctr --address "$CTR_ADDR" "$@"; else set -- ctr "$@"; fi
	run containerd "$_co" "$@"
}

ctr_names() { # REL: the first column of a ctr table (namespaces, container ids), plain names only
	awk 'NR > 1 { print $1 }' "$B/$1" 2>/dev/null | grep -E '^[A-Za-z0-9][A-Za-z0-9_.-]*$'
}

collect_containerd() {
	skipped containerd && { record containerd "ctr" skipped "--skip containerd"; return; }
	have ctr || { record containerd "ctr" missing "ctr not installed"; return; }
	if [ "${CTR_OK:-0}" != 1 ]; then
		record containerd "ctr namespaces/containers/tasks" skipped "ctr version failed: containerd not reachable"
		return
	fi
	log INFO "collecting containerd (ctr)"
	ctrc containerd/namespaces.txt namespaces ls
	for _ns in $(ctr_names containerd/namespaces.txt); do
		ctrc "containerd/$_ns/containers.txt" -n "$_ns" containers ls
		for _id in $(ctr_names "containerd/$_ns/containers.txt"); do
			ctrc "containerd/$_ns/containers/$_id/info.json" -n "$_ns" containers info "$_id"
		done
		ctrc "containerd/$_ns/tasks.txt" -n "$_ns" tasks ls
		ctrc "containerd/$_ns/images.txt" -n "$_ns" images ls
	done
}

# ---------------------------------------------------------------------------------------------
# Kubernetes

# kube SOURCE OUTPUT ARGS...: kubectl with the responder's kubeconfig/context, a request
# timeout, and a discovery cache inside our work dir (kubectl would otherwise write ~/.kube/cache).
kube() {
	_ks=$1; _ko=$2; shift 2
	set -- kubectl --request-timeout="${TMO}s" --cache-dir="$KCACHE" "$@"
	[ -n "$KUBECONFIG_ARG" ] && set -- "$@" --kubeconfig="$KUBECONFIG_ARG"
	[ -n "$KCONTEXT" ] && set -- "$@" --context="$KCONTEXT"
	run "$_ks" "$_ko" "$@"
}

kscope() { if [ -n "$K8S_NS" ]; then echo "-n $K8S_NS"; else echo "-A"; fi; }

# Secrets: a jsonpath that names no data field; the header row is part of the template.
SECRETS_JSONPATH='{"namespace\tname\ttype\tcreated\tuid\tservice_account\tlabels\n"}{range .items[*]}{.metadata.namespace}{"\t"}{.metadata.name}{"\t"}{.type}{"\t"}{.metadata.creationTimestamp}{"\t"}{.metadata.uid}{"\t"}{.metadata.annotations.kubernetes\.io/service-account\.name}{"\t"}{.metadata.labels}{"\n"}{end}'

collect_k8s() {
	skipped k8s && { record k8s "kubectl" skipped "--skip k8s"; return; }
	have kubectl || { record k8s "kubectl" missing "kubectl not installed"; return; }
	kube k8s k8s/version.json version -o json
	if [ "${K8S_OK:-0}" != 1 ]; then
		record k8s "kubectl get ..." skipped "cluster not reachable (kubectl cluster-info failed)"
		[ "$ENV_KUBERNETES" = yes ] && add_limit "kubernetes node but the API server was not reachable with kubectl"
		return
	fi
	log INFO "collecting Kubernetes objects"
	# shellcheck disable=SC2046 # kscope is "-A" or "-n NS"
	set -- $(kscope)
	kube k8s k8s/nodes.json get nodes -o json
	kube k8s k8s/namespaces.json get namespaces -o json
	for _kind in pods deployments daemonsets statefulsets replicasets jobs cronjobs services serviceaccounts roles \
		rolebindings networkpolicies events; do
		kube k8s "k8s/$_kind.json" get "$_kind" "$@" -o json
	done
	for _kind in clusterroles clusterrolebindings validatingwebhookconfigurations mutatingwebhookconfigurations; do
		kube k8s "k8s/$_kind.json" get "$_kind" -o json
	done
	R_DESC="kubectl get secrets $* -o jsonpath=<metadata-only template>" \
		kube k8s k8s/secrets-metadata.tsv get secrets "$@" -o "jsonpath=$SECRETS_JSONPATH"
	kube k8s k8s/crds.txt get crd -o name
	_crds=$(cat "$B/k8s/crds.txt" 2>/dev/null)
	case $_crds in *tracingpolicies.cilium.io*) kube k8s k8s/tracingpolicies.json get tracingpolicies -o json ;; esac
	case $_crds in *tracingpoliciesnamespaced.cilium.io*) kube k8s k8s/tracingpoliciesnamespaced.json get tracingpoliciesnamespaced "$@" -o json ;; esac
	case $_crds in *constrainttemplates.templates.gatekeeper.sh*)
		kube k8s k8s/constrainttemplates.json get constrainttemplates -o json
		kube k8s k8s/constraints.json get constraints -o json ;;
	esac
	case $_crds in *clusterpolicies.kyverno.io*) kube k8s k8s/kyverno-clusterpolicies.json get clusterpolicies.kyverno.io -o json ;; esac
	case $_crds in *"/policies.kyverno.io"*) kube k8s k8s/kyverno-policies.json get policies.kyverno.io "$@" -o json ;; esac
}

# Pod logs of an eBPF tool found by its standard label, in whichever namespace it runs.
k8s_tool_logs() { # TOOL [CONTAINER]
	[ "${K8S_OK:-0}" = 1 ] || return 0
	skipped k8s && return 0
	_tool=$1; _tcont=${2:-}
	R_DESC="kubectl get pods -A -l app.kubernetes.io/name=$_tool -o jsonpath=<namespace name>" \
		kube ebpf "ebpf/$_tool/pods.txt" get pods -A -l "app.kubernetes.io/name=$_tool" \
		-o 'jsonpath={range .items[*]}{.metadata.namespace}{" "}{.metadata.name}{"\n"}{end}'
	[ -f "$B/ebpf/$_tool/pods.txt" ] || return 0
	while read -r _pns _pname; do
		case "$_pns$_pname" in '' | *[!A-Za-z0-9_.-]*) continue ;; esac
		set -- logs -n "$_pns" "$_pname" --timestamps
		if [ -n "$_tcont" ]; then set -- "$@" -c "$_tcont"; else set -- "$@" --all-containers=true; fi
		[ -n "$SINCE" ] && set -- "$@" --since-time="$SINCE"
		R_MERGE=1 R_CAP=$MAX_FILE_SIZE kube ebpf "ebpf/$_tool/pods/${_pns}_$_pname.log" "$@"
	done <"$B/ebpf/$_tool/pods.txt"
}

# ---------------------------------------------------------------------------------------------
# control plane and etcd

# Value of --FLAG=value in a static pod manifest (YAML list item) or a TSV cmdline file.
flag_value() { # FLAG FILE...
	_fl=$1; shift
	cat "$@" 2>/dev/null | tr -s ' \t' '\n' | sed -n "s/^[\"']*--$_fl=//p" | sed "s/[\"']*\$//" | head -n 1
}

encryption_config() {
	printf 'path\texists\tsize\tmtime_epoch\n'
	_ep=$(flag_value encryption-provider-config "$B/control-plane/kube-apiserver-cmdline.tsv" /etc/kubernetes/manifests/kube-apiserver.yaml)
	if [ -z "$_ep" ]; then printf -- '-\tno-flag\t-\t-\n'; return; fi
	if [ -e "$_ep" ]; then
		# Existence, size and mtime only: the file holds the encryption keys.
		_mt=$(date -r "$_ep" +%s 2>/dev/null || echo -)
		printf '%s\tyes\t%s\t%s\n' "$_ep" "$(fsize "$_ep")" "$_mt"
	else
		printf '%s\tno\t-\t-\n' "$_ep"
	fi
}

collect_control_plane() {
	skipped control-plane && { record control-plane "control plane" skipped "--skip control-plane"; return; }
	_cp=0
	[ -d /etc/kubernetes ] && _cp=1
	[ -n "$(proc_running kube-apiserver)" ] && _cp=1
	[ -n "$AUDIT_LOG" ] && _cp=1
	if [ "$_cp" = 0 ]; then
		record control-plane "control plane" skipped "no /etc/kubernetes and no kube-apiserver process: not a control-plane node"
		return
	fi
	log INFO "collecting control-plane files"
	mkdir -p "$B/control-plane"
	for _m in /etc/kubernetes/manifests/*; do
		[ -f "$_m" ] || continue
		copy_file control-plane "$_m" "control-plane/manifests/$(safe_name "${_m##*/}")"
	done
	for _d in kube-apiserver etcd kubelet; do
		R_FN=1 R_DESC="[internal] /proc/<pid>/cmdline of $_d" run control-plane "control-plane/$_d-cmdline.tsv" daemon_cmdlines "$_d"
	done
	copy_file control-plane /var/lib/kubelet/config.yaml control-plane/kubelet-config.yaml
	if [ -d /etc/kubernetes/pki ]; then
		run control-plane control-plane/pki-listing.txt ls -laR /etc/kubernetes/pki
		# A file list, not a pipeline: a pipeline's subshell would delay our signal traps.
		find /etc/kubernetes/pki -type f 2>/dev/null | sort >"$WORK/pki-files"
		while IFS= read -r _pf; do
			case $_pf in *.key) continue ;; esac
			# Public certificates only: the content decides, not just the name.
			grep -q 'BEGIN CERTIFICATE' "$_pf" 2>/dev/null || continue
			grep -q 'PRIVATE KEY' "$_pf" 2>/dev/null && continue
			_rel=${_pf#/etc/kubernetes/pki/}
			mkdir -p "$B/control-plane/pki/$(dirname "$_rel")"
			copy_file control-plane "$_pf" "control-plane/pki/$_rel"
		done <"$WORK/pki-files"
	fi
	R_FN=1 R_DESC="[internal] encryption provider config existence (never its content)" \
		run control-plane control-plane/encryption-config.tsv encryption_config
	collect_audit
}

collect_audit() {
	_ap=$AUDIT_LOG; _aorigin=--audit-log
	if [ -z "$_ap" ]; then
		_ap=$(flag_value audit-log-path "$B/control-plane/kube-apiserver-cmdline.tsv" /etc/kubernetes/manifests/kube-apiserver.yaml)
		_aorigin=kube-apiserver
	fi
	if [ -z "$_ap" ] || [ "$_ap" = - ]; then
		record control-plane "audit log" skipped "no --audit-log-path (audit logging off or to stdout)"
		add_limit "no API server audit log file"
		return
	fi
	_adir=$(dirname "$_ap"); _abase=${_ap##*/}; _astem=${_abase%.*}
	printf 'path\tsource\tsize\tcopied_bytes\n' >"$WORK/audit-source.tsv"
	_found=0
	for _af in "$_adir/$_astem"*; do
		[ -f "$_af" ] || continue
		_found=1
		_dst="control-plane/audit/$(safe_name "${_af##*/}")"
		copy_file control-plane "$_af" "$_dst"
		printf '%s\t%s\t%s\t%s\n' "$_af" "$_aorigin" "$(fsize "$_af")" "$(fsize "$B/$_dst")" >>"$WORK/audit-source.tsv"
	done
	[ "$_found" = 1 ] || record control-plane "[copy] $_ap" skipped "audit log named by $_aorigin not found"
	R_FN=1 R_DESC="[internal] audit files, origin and cap" run control-plane control-plane/audit-source.tsv emit audit-source.tsv
}

collect_etcd() {
	skipped etcd || skipped control-plane && { record etcd "etcdctl" skipped "--skip"; return; }
	_eo=flags
	_ep=$ETCD_ENDPOINTS; _ca=$ETCD_CACERT; _ce=$ETCD_CERT; _ck=$ETCD_KEY
	_api="$B/control-plane/kube-apiserver-cmdline.tsv /etc/kubernetes/manifests/kube-apiserver.yaml"
	_etc="$B/control-plane/etcd-cmdline.tsv /etc/kubernetes/manifests/etcd.yaml"
	if [ -z "$_ep" ]; then
		# shellcheck disable=SC2086 # two file lists
		_ep=$(flag_value etcd-servers $_api); _eo=kube-apiserver
		if [ -n "$_ep" ]; then
			# shellcheck disable=SC2086
			{ [ -n "$_ca" ] || _ca=$(flag_value etcd-cafile $_api); [ -n "$_ce" ] || _ce=$(flag_value etcd-certfile $_api); [ -n "$_ck" ] || _ck=$(flag_value etcd-keyfile $_api); }
		else
			# shellcheck disable=SC2086
			_ep=$(flag_value listen-client-urls $_etc); _eo=etcd
			# shellcheck disable=SC2086
			{ [ -n "$_ca" ] || _ca=$(flag_value trusted-ca-file $_etc); [ -n "$_ce" ] || _ce=$(flag_value cert-file $_etc); [ -n "$_ck" ] || _ck=$(flag_value key-file $_etc); }
		fi
	fi
	if [ -z "$_ep" ]; then
		record etcd "etcdctl" skipped "no etcd endpoint given or found in manifests"
		[ "$ETCD_SNAPSHOT" = yes ] && add_limit "etcd snapshot asked for but no endpoint known"
		return
	fi
	have etcdctl || { record etcd "etcdctl" missing "etcdctl not installed"; add_limit "etcdctl missing: no etcd data"; return; }
	log INFO "collecting etcd ($_ep, from $_eo)"
	mkdir -p "$B/etcd"
	printf 'endpoints\tcacert\tcert\tkey\torigin\n%s\t%s\t%s\t%s\t%s\n' "$_ep" "${_ca:--}" "${_ce:--}" "${_ck:--}" "$_eo" >"$WORK/endpoint.tsv"
	R_FN=1 R_DESC="[internal] etcd endpoint and certificate paths used" run etcd etcd/endpoint.tsv emit endpoint.tsv
	set -- etcdctl --endpoints="$_ep" --dial-timeout=10s --command-timeout="${TMO}s"
	[ -n "$_ca" ] && set -- "$@" --cacert="$_ca"
	[ -n "$_ce" ] && set -- "$@" --cert="$_ce"
	[ -n "$_ck" ] && set -- "$@" --key="$_ck"
	run etcd etcd/version.txt etcdctl version
	run etcd etcd/endpoint-status.json "$@" endpoint status -w json
	run etcd etcd/member-list.json "$@" member list -w json
	R_CAP=$MAX_FILE_SIZE run etcd etcd/keys.txt "$@" get / --prefix --keys-only
	if [ "$ETCD_SNAPSHOT" = yes ]; then
		_dbsz=$(sed -n 's/.*"db_size":\([0-9]*\).*/\1/p' "$B/etcd/endpoint-status.json" 2>/dev/null | head -n 1)
		_free=$(avail_bytes "$B")
		if [ -n "$_dbsz" ] && [ "$_free" -ge 0 ] && [ "$_free" -lt $((_dbsz + RESERVE)) ]; then
			record etcd "etcdctl snapshot save" skipped "not enough free space ($_free bytes) for a $_dbsz-byte db" etcd/snapshot.db
			add_limit "etcd snapshot skipped: free space"
			return
		fi
		# snapshot save only accepts one endpoint, and is slow: drop etcdctl and the three endpoint
		# and time flags set above, keep the TLS flags, give it one endpoint and ten time limits
		shift 4
		set -- etcdctl --endpoints="${_ep%%,*}" --dial-timeout=10s --command-timeout="$((TMO * 10))s" "$@"
		_otmo=$TMO; TMO=$((TMO * 10))
		R_DESC="$* snapshot save etcd/snapshot.db" run etcd etcd/snapshot-save.txt "$@" snapshot save "$B/etcd/snapshot.db"
		TMO=$_otmo
		if [ -f "$B/etcd/snapshot.db" ]; then
			hash_file etcd/snapshot.db
			run etcd etcd/snapshot-status.json etcdctl snapshot status -w json "$B/etcd/snapshot.db"
		else
			add_limit "etcd snapshot failed (see etcd/snapshot-save.txt)"
		fi
		rm -f "$B/etcd/snapshot.db.part"
	else
		record etcd "etcdctl snapshot save" skipped "not asked (--etcd-snapshot)" etcd/snapshot.db
	fi
}

# ---------------------------------------------------------------------------------------------
# eBPF runtime tools

journal_args() { # journalctl wants "YYYY-MM-DD HH:MM:SS UTC", not RFC 3339
	[ -n "$SINCE" ] && set -- "$@" --since "$(echo "$SINCE" | sed 's/T/ /; s/Z$/ UTC/')"
	[ -n "$UNTIL" ] && set -- "$@" --until "$(echo "$UNTIL" | sed 's/T/ /; s/Z$/ UTC/')"
	JARGS=$*
}

copy_glob() { # SOURCE DESTDIR GLOB...: copy the regular files matched
	_gs=$1; _gd=$2; shift 2
	for _gf in "$@"; do
		[ -f "$_gf" ] || continue
		copy_file "$_gs" "$_gf" "$_gd/$(safe_name "${_gf##*/}")"
	done
}

falco_file_output() { # filename of file_output in falco.yaml, when enabled
	awk '/^file_output:/ { inblk = 1; next }
		inblk && /^[^ \t#]/ { inblk = 0 }
		inblk && /filename:/ { sub(/.*filename:[ \t]*/, ""); gsub(/["\047]/, ""); print; exit }' \
		/etc/falco/falco.yaml 2>/dev/null
}

collect_ebpf() {
	skipped ebpf && { record ebpf "falco/tetragon/tracee" skipped "--skip ebpf"; return; }
	log INFO "collecting eBPF runtime tool data (Falco, Tetragon, Tracee)"
	_any=0
	journal_args
	if have journalctl; then
		# shellcheck disable=SC2086 # JARGS holds --since/--until pairs built above
		R_CAP=$MAX_FILE_SIZE run ebpf ebpf/falco/journal.txt journalctl -u 'falco*' --no-pager -o short-iso $JARGS
		# shellcheck disable=SC2086
		R_CAP=$MAX_FILE_SIZE run ebpf ebpf/tracee/journal.txt journalctl -u 'tracee*' --no-pager -o short-iso $JARGS
	else
		record ebpf "journalctl -u falco" missing "journalctl not installed"
	fi
	copy_glob ebpf ebpf/falco/logs /var/log/falco*
	if [ -f /etc/falco/falco.yaml ]; then
		_any=1
		find /etc/falco -type f \( -name '*.yaml' -o -name '*.yml' \) 2>/dev/null | sort >"$WORK/falco-files"
		while IFS= read -r _ff; do
			_rel=${_ff#/etc/falco/}
			mkdir -p "$B/ebpf/falco/config/$(dirname "$_rel")"
			copy_file ebpf "$_ff" "ebpf/falco/config/$(dirname "$_rel")/$(safe_name "${_rel##*/}")"
		done <"$WORK/falco-files"
		_fo=$(falco_file_output)
		case $_fo in
			/*) copy_file ebpf "$_fo" "ebpf/falco/file-output/$(safe_name "${_fo##*/}")" ;;
			'') ;;
			*) record ebpf "[copy] $_fo" skipped "relative file_output path in falco.yaml" ;;
		esac
	fi
	if have tetra; then
		_any=1
		R_STREAM=$EVENT_SECONDS R_CAP=$MAX_FILE_SIZE run ebpf ebpf/tetragon/events.jsonl tetra getevents -o json
	else
		record ebpf "tetra getevents -o json" missing "tetra CLI not installed"
	fi
	copy_glob ebpf ebpf/tetragon/logs /var/log/tetragon/*.log /var/log/tetragon/*.json
	copy_glob ebpf ebpf/tracee/logs /var/log/tracee*
	k8s_tool_logs falco
	k8s_tool_logs tetragon export-stdout
	k8s_tool_logs tracee
	if [ "$_any" = 0 ] && ! ls /var/log/falco* /var/log/tetragon /var/log/tracee* >/dev/null 2>&1; then
		add_limit "no eBPF runtime tool (Falco/Tetragon/Tracee) found on this host"
	fi
}

# ---------------------------------------------------------------------------------------------
# main

CTR_ADDR=; DOCKER_OK=0; CTR_OK=0; CRICTL_OK=0; K8S_OK=0
cgroup_version
collect_env
collect_host
collect_docker
collect_cri
collect_containerd
collect_k8s
collect_control_plane
collect_etcd
collect_ebpf
trap '' INT TERM HUP
finalize || exit 1
exit 0
