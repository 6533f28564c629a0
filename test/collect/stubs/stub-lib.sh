# Shared by the stub tools in bin/ (sourced, POSIX sh). Each stub logs its argv, then behaves
# as CF_STUB_MODE_<TOOL> says:
#   replay (default)  print the recorded / fixture output for that command
#   fail              print an error like the real tool's and exit 1
#   garbage           print bytes that are not what the tool should print, exit 0
#   hang              block forever (exec sleep), after touching $CF_STUB_STATE/hanging-<tool>
#   hang-hard         like hang but ignore SIGTERM (only SIGKILL ends it)
#   hang-on=WORD      hang only when WORD is one of the arguments; replay otherwise
#   fail-on=WORD      fail only when WORD is one of the arguments; replay otherwise
# $CF_STUB_LOG (a file), when set, receives "<tool><TAB><argv>" per call: tests use it to prove
# that collect.sh only ever asked for read-only operations.
STUB_NAME=${0##*/}
STUB_HOME=$(cd "$(dirname "$0")/.." && pwd)
REC=$STUB_HOME/recorded
FIX=$STUB_HOME/fixtures

if [ -n "${CF_STUB_LOG:-}" ]; then
	printf '%s\t%s\n' "$STUB_NAME" "$*" >>"$CF_STUB_LOG"
fi

stub_hang() {
	# exec keeps the pid: tests check afterwards that the collector killed it.
	if [ -n "${CF_STUB_STATE:-}" ]; then echo $$ >>"$CF_STUB_STATE/pids"; : >"$CF_STUB_STATE/hanging-$STUB_NAME"; fi
	exec sleep 600
}
stub_hang_hard() {
	if [ -n "${CF_STUB_STATE:-}" ]; then echo $$ >>"$CF_STUB_STATE/pids"; : >"$CF_STUB_STATE/hanging-$STUB_NAME"; fi
	trap '' TERM INT HUP
	while :; do sleep 1; done
}
stub_fail() {
	echo "$STUB_NAME: simulated failure: connection refused" >&2
	exit 1
}
has_word() { # WORD ARGS...
	_w=$1; shift
	for _a in "$@"; do [ "$_a" = "$_w" ] && return 0; done
	return 1
}

_var=CF_STUB_MODE_$(echo "$STUB_NAME" | tr 'a-z-' 'A-Z_')
eval "STUB_MODE=\${$_var:-replay}"
case $STUB_MODE in
	replay) ;;
	fail) stub_fail ;;
	garbage) printf '\377\376\000garbage{{{ not json\n\001\002 binary tail'; exit 0 ;;
	hang) stub_hang ;;
	hang-hard) stub_hang_hard ;;
	hang-on=*) if has_word "${STUB_MODE#hang-on=}" "$@"; then stub_hang; fi ;;
	fail-on=*) if has_word "${STUB_MODE#fail-on=}" "$@"; then stub_fail; fi ;;
	*) echo "stub: unknown mode $STUB_MODE" >&2; exit 99 ;;
esac

replay() { # FILE relative to recorded/ or fixtures/
	if [ -f "$REC/$1" ]; then cat "$REC/$1"; return 0; fi
	if [ -f "$FIX/$1" ]; then cat "$FIX/$1"; return 0; fi
	echo "$STUB_NAME (stub): no recording for: $1" >&2
	exit 1
}
last_arg() { for _l in "$@"; do :; done; echo "$_l"; }
