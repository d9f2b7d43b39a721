# stack.sh - sourced by the benchmarks: a private stack (scripts/run.sh) in a
# temporary directory on a free port, stopped and removed when the script
# exits, whatever way it exits.
#
#   bench_prepare PREFIX   sets ROOT, BUILD, VAR, PORT and the CABINET_*
#                          variables run.sh reads; arms the cleanup
#   bench_start            starts the stack (after any files the benchmark
#                          puts into $VAR first)
#   bench_psql ARGS...     psql as the tables' owner on that stack
#   as_user                the prefix that runs a command as the stack's user
# A benchmark that starts processes of its own defines bench_before_stop().

bench_prepare() {
	ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
	BUILD=${CABINET_BUILD_DIR:-$ROOT/build}
	VAR=$(mktemp -d "/tmp/$1-XXXXXX")
	chmod 755 "$VAR"
	PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	export CABINET_VAR=$VAR CABINET_HTTP_PORT=$PORT CABINET_SKIP_BUILD=1 CABINET_NO_DEMO=1 \
		CABINET_BUILD_DIR=$BUILD
	as_user=()
	[ "$(id -u)" = 0 ] && as_user=(setpriv --reuid=cabinet --regid=cabinet --init-groups --)
	trap bench_cleanup EXIT
}

bench_cleanup() {
	declare -F bench_before_stop >/dev/null && bench_before_stop
	"$ROOT/scripts/run.sh" stop >/dev/null 2>&1 || true
	rm -rf "$VAR"
}

bench_start() {
	"$ROOT/scripts/run.sh" start >/dev/null
}

bench_psql() {
	"${as_user[@]}" psql -X -q -tA -v ON_ERROR_STOP=1 -h "$VAR/pg/sock" -U cabinet -d cabinet "$@"
}
