#!/usr/bin/env bash
# scripts/run.sh - build and start the whole employee cabinet locally.
#
#   scripts/run.sh [start]   install what is missing, build, start PostgreSQL,
#                            cabinetd, cabinet-api, cabinet-admin and nginx
#   scripts/run.sh stop      stop all of them
#   scripts/run.sh status    show what runs
#   scripts/run.sh deps [test]  only install the missing Debian packages
#                            (scripts/deps.sh; `test` adds the tests' ones)
#   scripts/run.sh check     as root: check that the unprivileged user can
#                            read the checkout (scripts/test.sh runs it first)
#
# Environment (all optional):
#   CABINET_VAR          state directory (default ./var): database, sockets,
#                        logs, cabinet.conf, outbox.log
#   CABINET_HTTP_PORT    nginx port on 127.0.0.1 (default 8080)
#   CABINET_BUILD_DIR    build directory (default ./build)
#   CABINET_SKIP_BUILD   1: use the binaries already in CABINET_BUILD_DIR
#   CABINET_BASE_DOMAIN  base domain of the tenants (default localhost)
#   CABINET_USER         as root: the unprivileged user that runs everything
#                        (default cabinet; created if missing)
#   CABINET_CONF_EXTRA   lines appended to the generated cabinet.conf
#   CABINET_NO_DEMO      1: do not create the demo organization
#   CABINET_NGINX_LIMITS request limits of the nginx site: on (default),
#                        anonymous (only those of requests without a
#                        session: integration tests) or off (benchmarks)
#   CABINET_PG_NOSYNC    1: PostgreSQL without fsync, synchronous_commit and
#                        full_page_writes. Only for throwaway test stacks
#                        (tests/integration/stack.py sets it): a crash or an
#                        immediate stop then loses acknowledged writes. By
#                        default the database is durable: a 2xx answer means
#                        the change is on disk.
#
# Running it twice is safe: what already runs is left alone. Stacks with
# different CABINET_VAR and CABINET_HTTP_PORT run side by side.
set -euo pipefail
umask 022 # the build and the state must be readable by the unprivileged user

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VAR=${CABINET_VAR:-$ROOT/var}
mkdir -p "$VAR"
VAR=$(cd "$VAR" && pwd)
PORT=${CABINET_HTTP_PORT:-8080}
BUILD=${CABINET_BUILD_DIR:-$ROOT/build}
BASE_DOMAIN=${CABINET_BASE_DOMAIN:-localhost}
CONF=$VAR/cabinet.conf
PGDATA=$VAR/pg/data
PGSOCK=$VAR/pg/sock
LOG=$VAR/log
RUN=$VAR/run

say() { printf 'run.sh: %s\n' "$*"; }
die() { printf 'run.sh: error: %s\n' "$*" >&2; exit 1; }

# ------------------------------------------------------------ dependencies

# shellcheck source=scripts/deps.sh
. "$ROOT/scripts/deps.sh"

# ------------------------------------------------------- who runs the stack

if [ "$(id -u)" = 0 ]; then
	RUN_USER=${CABINET_USER:-cabinet}
	if ! id "$RUN_USER" >/dev/null 2>&1; then
		useradd --system --user-group --home-dir /nonexistent --shell /usr/sbin/nologin "$RUN_USER"
	fi
	RUN_UID=$(id -u "$RUN_USER")
	RUN_GID=$(id -g "$RUN_USER")
	# setpriv execs (no extra process), so $! is the daemon itself
	AS_USER=(setpriv --reuid="$RUN_UID" --regid="$RUN_GID" --init-groups --)
else
	RUN_USER=$(id -un)
	RUN_UID=$(id -u)
	AS_USER=()
fi
as_user() { "${AS_USER[@]}" "$@"; }

pg_bin() {
	local d
	d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
	[ -n "$d" ] || die "PostgreSQL server binaries not found under /usr/lib/postgresql"
	echo "$d"
}

pid_alive() { # pid_alive PID: runs (a zombie, dead but never reaped by an
	# init that may not reap, does not count)
	[ -n "$1" ] && kill -0 "$1" 2>/dev/null || return 1
	[ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]
}

alive() { # alive NAME: the process of $RUN/NAME.pid runs
	[ -f "$RUN/$1.pid" ] && pid_alive "$(cat "$RUN/$1.pid" 2>/dev/null)"
}

stop_one() { # stop_one NAME: SIGTERM, wait, then SIGKILL
	local pid i
	alive "$1" || { rm -f "$RUN/$1.pid"; return 0; }
	pid=$(cat "$RUN/$1.pid")
	kill -TERM "$pid" 2>/dev/null || true
	for i in $(seq 100); do
		pid_alive "$pid" || break
		sleep 0.05
	done
	kill -KILL "$pid" 2>/dev/null || true
	rm -f "$RUN/$1.pid"
	say "stopped $1"
}

do_stop() {
	stop_one nginx
	stop_one cabinet-admin
	stop_one cabinet-api
	stop_one cabinetd
	if [ -f "$PGDATA/PG_VERSION" ] && as_user "$(pg_bin)/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
		as_user "$(pg_bin)/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null
		say "stopped postgresql"
	fi
}

do_status() {
	local n
	for n in cabinetd cabinet-api cabinet-admin nginx; do
		if alive "$n"; then echo "$n: running (pid $(cat "$RUN/$n.pid"))"; else echo "$n: stopped"; fi
	done
	if [ -f "$PGDATA/PG_VERSION" ] && as_user "$(pg_bin)/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
		echo "postgresql: running"
	else
		echo "postgresql: stopped"
	fi
}

# ------------------------------------------------------------------- start

build() {
	[ "${CABINET_SKIP_BUILD:-0}" = 1 ] && return 0
	say "building in $BUILD"
	cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$LOG/build.log" 2>&1 ||
		die "cmake failed, see $LOG/build.log"
	cmake --build "$BUILD" -j "$(nproc)" >>"$LOG/build.log" 2>&1 ||
		die "build failed, see $LOG/build.log"
}

closed_dir() { # closed_dir PATH: the first directory on PATH the run user cannot enter
	local d=$1 chain=()
	while :; do
		chain=("$d" "${chain[@]}")
		[ "$d" = / ] || [ "$d" = . ] && break
		d=$(dirname "$d")
	done
	for d in "${chain[@]}"; do
		as_user test -x "$d" || { echo "$d"; return 0; }
	done
}

check_checkout() {
	# as root the stack runs as $RUN_USER, which must read the checkout: its
	# sql/, templates, static site and configuration
	[ "$(id -u)" = 0 ] || return 0
	local d bad
	d=$(closed_dir "$ROOT")
	[ -z "$d" ] || die "user $RUN_USER cannot enter $d ($(stat -c '%A, owner %U' "$d")), so it cannot read this checkout
    ($ROOT); as root the stack runs as $RUN_USER (PostgreSQL refuses root).
    Fix: let others pass through that folder:  chmod o+x $d
    or clone the project into a folder everyone can read, such as /opt or /srv."
	bad=$(as_user find "$ROOT/sql" "$ROOT/conf" "$ROOT/cgi/templates" "$ROOT/cgi/www" \
		\( -type d ! -executable -o ! -readable \) -print -quit 2>&1)
	[ -z "$bad" ] || die "user $RUN_USER cannot read $bad in this checkout (made with a private umask?).
    Fix: chmod -R a+rX $ROOT"
}

check_access() {
	# everything the unprivileged user needs must be reachable for it
	local f d
	check_checkout
	for f in "$BUILD/core/cabinetd" "$BUILD/cgi/cabinet-api" "$BUILD/cgi/cabinet-admin"; do
		[ -x "$f" ] || die "$f is missing: build first (or unset CABINET_SKIP_BUILD)"
		if ! as_user test -x "$f"; then
			d=$(closed_dir "$(dirname "$f")")
			die "user $RUN_USER cannot run $f${d:+ (it cannot enter $d)}: chmod o+x ${d:-$f}, or put the build where $RUN_USER can read it"
		fi
	done
	as_user test -w "$VAR" || die "user $RUN_USER cannot write $VAR"
	if [ ${#RUN} -gt 90 ]; then
		die "CABINET_VAR is too long for Unix socket paths ($VAR); choose a shorter one"
	fi
}

start_postgres() {
	local bin nosync=()
	bin=$(pg_bin)
	[ "${CABINET_PG_NOSYNC:-0}" = 1 ] && nosync=(--no-sync)
	mkdir -p "$PGSOCK"
	[ "$(id -u)" = 0 ] && chown -R "$RUN_USER:" "$VAR/pg"
	chmod 700 "$PGSOCK"
	if [ ! -f "$PGDATA/PG_VERSION" ]; then
		say "creating the database cluster in $PGDATA"
		as_user "$bin/initdb" -D "$PGDATA" -U cabinet --auth=trust "${nosync[@]}" -E UTF8 \
			--locale=C.UTF-8 >"$LOG/initdb.log" 2>&1 || die "initdb failed, see $LOG/initdb.log"
		cat >>"$PGDATA/postgresql.conf" <<-EOF
		# scripts/run.sh: a private cluster, Unix socket only
		listen_addresses = ''
		unix_socket_directories = '$PGSOCK'
		max_connections = 100
		shared_buffers = 128MB
		EOF
	fi
	write_pg_durability
	if ! as_user "$bin/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
		as_user "$bin/pg_ctl" -D "$PGDATA" -l "$LOG/postgresql.log" -w -t 60 start >/dev/null ||
			die "PostgreSQL did not start, see $LOG/postgresql.log"
	else
		as_user "$bin/pg_ctl" -D "$PGDATA" reload >/dev/null # the durability of this start
	fi
	local psql=(as_user psql -X -q -h "$PGSOCK" -U cabinet -v ON_ERROR_STOP=1)
	if [ -z "$("${psql[@]}" -d postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'cabinet_app'")" ]; then
		"${psql[@]}" -d postgres -c "CREATE ROLE cabinet_app LOGIN"
	fi
	if [ -z "$("${psql[@]}" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'cabinet'")" ]; then
		"${psql[@]}" -d postgres -c "CREATE DATABASE cabinet OWNER cabinet"
	fi
}

write_pg_durability() {
	# Rewritten on every start and included last, so it also overrides the
	# "fsync = off" an older run.sh wrote into postgresql.conf.
	local f=$PGDATA/run-durability.conf
	if [ "${CABINET_PG_NOSYNC:-0}" = 1 ]; then
		cat >"$f" <<-EOF
		# scripts/run.sh with CABINET_PG_NOSYNC=1: a throwaway test stack.
		# A crash or an immediate stop loses acknowledged writes.
		fsync = off
		synchronous_commit = off
		full_page_writes = off
		EOF
		say "PostgreSQL runs without fsync (CABINET_PG_NOSYNC=1): for tests only"
	else
		cat >"$f" <<-EOF
		# scripts/run.sh: durable, a 2xx answer means the change is on disk.
		fsync = on
		synchronous_commit = on
		full_page_writes = on
		EOF
	fi
	# JIT compiles a plan whose cost estimate is large, which takes seconds
	# (2.4 s seen on payroll_debts() at 10 000 employees); the service's
	# statements are short and planned for index scans, so it never pays.
	echo "jit = off" >>"$f"
	grep -q "^include_if_exists = 'run-durability.conf'" "$PGDATA/postgresql.conf" ||
		echo "include_if_exists = 'run-durability.conf'" >>"$PGDATA/postgresql.conf"
	[ "$(id -u)" = 0 ] && chown "$RUN_USER:" "$f"
	return 0
}

nginx_default_temp() {
	# Loading nchan makes nginx create its compiled-in temporary folder
	# (/var/lib/nginx/body) whatever the temp paths of the configuration say,
	# and an nginx running as $RUN_USER cannot. Debian's package leaves that
	# folder to the system nginx's first start as root, which a fresh machine
	# (or a container) may never have had: make it as nginx would.
	local d=/var/lib/nginx/body
	[ -d "$d" ] && return 0
	if [ "$(id -u)" = 0 ]; then
		install -d -m 0700 -o www-data -g root "$d"
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
		sudo -n install -d -m 0700 -o www-data -g root "$d"
	else
		die "$d is missing and nginx (with the nchan module) cannot start without it.
    Fix, as root:  install -d -m 0700 -o www-data $d"
	fi
}

size_ru() { # size_ru SIZE: "1m" -> "1 МБ", as cabinet-api words it (core/ru.c ru_format_size)
	local b
	b=$(numfmt --from=iec "${1^^}") || die "\"$1\" is not a size"
	if ((b >= 1048576 && (b % 1048576) * 10 / 1048576)); then
		echo "$((b / 1048576)),$(((b % 1048576) * 10 / 1048576)) МБ"
	elif ((b >= 1048576)); then
		echo "$((b / 1048576)) МБ"
	elif ((b >= 1024)); then
		echo "$((b / 1024)) КБ"
	else
		echo "$b байт"
	fi
}

write_config() {
	# cabinetctl runs as the invoking user; as root the services' user is
	# not an operator (the responders run as it)
	local operators=root
	if [ "$(id -u)" != 0 ]; then operators="root,$(id -u)"; fi
	cat >"$CONF" <<-EOF
	# Generated by scripts/run.sh for the local stack in $VAR; rewritten on every start.
	# Add your own settings with CABINET_CONF_EXTRA. See conf/cabinet.conf.example.
	socket_path = $RUN/core.sock
	operator_uids = $operators
	db_conninfo = host=$PGSOCK dbname=cabinet user=cabinet_app
	db_migrate_conninfo = host=$PGSOCK dbname=cabinet user=cabinet
	sql_dir = $ROOT/sql
	api_socket = $RUN/api.sock
	admin_socket = $RUN/admin.sock
	templates_dir = $ROOT/cgi/templates
	responder_socket_mode = 0660
	base_domain = $BASE_DOMAIN
	public_scheme = http
	public_port = $PORT
	connect_policy = open
	outbox_file = $VAR/outbox.log
	notify_publish_socket = $RUN/notify.sock
	${CABINET_CONF_EXTRA:-}
	EOF
	# trusted_proxies = 10.0.0.5, 192.0.2.0/24: one set_real_ip_from each
	local proxies real_ip="" p
	proxies=$(sed -n 's/^trusted_proxies *= *//p' "$CONF" | tail -n 1)
	for p in ${proxies//,/ }; do
		[[ $p =~ ^[0-9A-Fa-f.:]+(/[0-9]+)?$ ]] || die "trusted_proxies: \"$p\" is not an address or network"
		real_ip+="set_real_ip_from $p; "
	done
	[ -n "$real_ip" ] || real_ip="# no trusted_proxies"
	# a request's file upload: the file (attachments_max_size) and 1 MiB for
	# the form around it, as cabinet-api takes it
	local attachments attachments_body
	attachments=$(sed -n 's/^attachments_max_size *= *//p' "$CONF" | tail -n 1 | grep . || echo 10m)
	attachments_body=$(($(numfmt --from=iec "${attachments^^}") + 1048576)) ||
		die "attachments_max_size: \"$attachments\" is not a size"
	# nginx's nchan publisher of notifications listens where cabinetd
	# publishes (an empty notify_publish_socket: cabinetd does not publish,
	# nginx still listens in $RUN)
	NOTIFY_SOCKET=$(sed -n 's/^notify_publish_socket *= *//p' "$CONF" | tail -n 1)
	[ -n "$NOTIFY_SOCKET" ] || NOTIFY_SOCKET=$RUN/notify.sock
	local limits=${CABINET_NGINX_LIMITS:-on}
	case $limits in on | anonymous | off) ;; *) die "CABINET_NGINX_LIMITS is on, anonymous or off" ;; esac
	local max_body exchange_max_body
	max_body=$(sed -n 's/^max_body *= *//p' "$CONF" | tail -n 1 | grep . || echo 1m)
	exchange_max_body=$(sed -n 's/^exchange_max_body *= *//p' "$CONF" | tail -n 1 | grep . || echo 32m)
	sed -e "s|@LISTEN@|127.0.0.1:$PORT|" \
		-e "s|@BASE_DOMAIN@|$BASE_DOMAIN|g" \
		-e "s|@WWW_DIR@|$ROOT/cgi/www|" \
		-e "s|@GUIDE_DIR@|$ROOT/docs/ru|" \
		-e "s|@MAX_BODY@|$max_body|" \
		-e "s|@EXCHANGE_MAX_BODY@|$exchange_max_body|" \
		-e "s|@ATTACHMENTS_MAX_BODY@|$attachments_body|" \
		-e "s|@MAX_BODY_RU@|$(size_ru "$max_body")|" \
		-e "s|@EXCHANGE_MAX_BODY_RU@|$(size_ru "$exchange_max_body")|" \
		-e "s|@ATTACHMENTS_MAX_RU@|$(size_ru "$attachments")|" \
		-e "s|@API_SOCKET@|$RUN/api.sock|" \
		-e "s|@ADMIN_SOCKET@|$RUN/admin.sock|" \
		-e "s|@NOTIFY_SOCKET@|$NOTIFY_SOCKET|" \
		-e "s|@NGINX_CONF_DIR@|/etc/nginx|" \
		-e "s|@EXTRA_INCLUDE@|include $VAR/nginx.d/*.conf;|" \
		-e "s|@LIMITS@|$limits|" \
		-e "s|@REAL_IP_FROM@|$real_ip|" \
		-e "s|@ACCESS_LOG@|$LOG/nginx-access.log|" \
		-e "s|@ERROR_LOG@|$LOG/nginx-error.log|" \
		"$ROOT/conf/nginx-site.conf.in" >"$VAR/nginx-site.conf"
	mkdir -p "$VAR/nginx.d" "$VAR/nginx/tmp"
	local NCHAN_MODULE=/usr/lib/nginx/modules/ngx_nchan_module.so
	[ -f "$NCHAN_MODULE" ] || die "$NCHAN_MODULE is missing: install libnginx-mod-nchan (scripts/deps.sh)"
	nginx_default_temp
	# descriptors: as many as the hard limit allows, up to 32768 a worker;
	# two per proxied request (client and responder), so half of them are
	# connections (a client that never finishes its header holds one for
	# client_header_timeout; the firewall caps one address's: README.md)
	local nofile
	nofile=$(ulimit -Hn)
	case "$nofile" in unlimited | '' | *[!0-9]*) nofile=32768 ;; esac
	[ "$nofile" -gt 32768 ] && nofile=32768
	cat >"$VAR/nginx.conf" <<-EOF
	# Generated by scripts/run.sh: a private nginx for the local stack.
	# nchan (libnginx-mod-nchan) holds the pages' notification streams
	load_module $NCHAN_MODULE;
	daemon off;
	worker_processes 2;
	pid $RUN/nginx.pid.nginx;
	# errors only: warnings come per request (a large answer buffered to a
	# temporary file), and the log lives next to the database
	error_log $LOG/nginx-error.log error;
	worker_rlimit_nofile $nofile;
	events { worker_connections $((nofile / 2)); }
	http {
	    include /etc/nginx/mime.types;
	    default_type application/octet-stream;
	    access_log $LOG/nginx-access.log;
	    sendfile on;
	    client_body_temp_path $VAR/nginx/tmp/body;
	    fastcgi_temp_path $VAR/nginx/tmp/fastcgi;
	    proxy_temp_path $VAR/nginx/tmp/proxy;
	    uwsgi_temp_path $VAR/nginx/tmp/uwsgi;
	    scgi_temp_path $VAR/nginx/tmp/scgi;
	    include $VAR/nginx-site.conf;
	}
	EOF
}

spawn() { # spawn NAME COMMAND...: start in the background as the run user
	local name=$1
	shift
	alive "$name" && return 0
	# not through the as_user function: a function in the background is a
	# subshell, and $! must be the daemon's own pid
	"${AS_USER[@]}" "$@" >>"$LOG/$name.log" 2>&1 </dev/null &
	echo $! >"$RUN/$name.pid"
}

wait_for() { # wait_for WHAT COMMAND...: up to 30 s
	local what=$1 i
	shift
	for i in $(seq 300); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	die "$what did not come up, see $LOG/"
}

port_busy() {
	(exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null
}

do_start() {
	mkdir -p "$LOG" "$RUN"
	# as strict as the installed /run/cabinet-* (conf/cabinet.tmpfiles): its
	# sockets (nginx's notification publisher, the responders') are for the
	# run user and its group, no other local account may enter
	chmod 0750 "$RUN"
	deps_install build run || die "the Debian packages above are needed (scripts/deps.sh)"
	check_checkout
	build
	if [ "$(id -u)" = 0 ]; then
		chown "$RUN_USER:" "$VAR"
		chown -R "$RUN_USER:" "$LOG" "$RUN"
	fi
	check_access
	start_postgres
	write_config
	[ "$(id -u)" = 0 ] && chown -R "$RUN_USER:" "$VAR/nginx" "$VAR/nginx.d" "$CONF" 2>/dev/null

	as_user "$BUILD/core/cabinetd" -c "$CONF" migrate >>"$LOG/migrate.log" 2>&1 ||
		die "migrations failed, see $LOG/migrate.log"

	spawn cabinetd "$BUILD/core/cabinetd" -c "$CONF"
	wait_for cabinetd "$BUILD/core/cabinetctl" -c "$CONF" -t 2000 health
	spawn cabinet-api "$BUILD/cgi/cabinet-api" -c "$CONF"
	spawn cabinet-admin "$BUILD/cgi/cabinet-admin" -c "$CONF"
	wait_for cabinet-api test -S "$RUN/api.sock"
	wait_for cabinet-admin test -S "$RUN/admin.sock"
	if ! alive nginx; then
		port_busy && die "port $PORT is in use; choose another with CABINET_HTTP_PORT"
		# a publisher socket left by an nginx that was killed
		[ -S "$NOTIFY_SOCKET" ] && rm -f -- "$NOTIFY_SOCKET"
		touch "$LOG/nginx-error.log" "$LOG/nginx-access.log"
		[ "$(id -u)" = 0 ] && chown "$RUN_USER:" "$LOG/nginx-error.log" "$LOG/nginx-access.log"
		as_user nginx -t -q -e "$LOG/nginx-error.log" -c "$VAR/nginx.conf" -p "$VAR/nginx" \
			2>"$LOG/nginx-test.log" || die "nginx configuration is invalid, see $LOG/nginx-test.log"
		spawn nginx nginx -e "$LOG/nginx-error.log" -c "$VAR/nginx.conf" -p "$VAR/nginx"
	fi
	wait_for "the HTTP stack" curl -sf "http://127.0.0.1:$PORT/api/health"

	if [ "${CABINET_NO_DEMO:-0}" != 1 ] && [ -x "$ROOT/scripts/demo.sh" ]; then
		CABINET_CONF=$CONF CABINET_BUILD_DIR=$BUILD CABINET_HTTP_PORT=$PORT \
			CABINET_BASE_DOMAIN=$BASE_DOMAIN "$ROOT/scripts/demo.sh"
	fi
	say "the cabinet runs at http://$BASE_DOMAIN:$PORT/"
	# where one-time codes and invitations go: a new user looks for them first
	if ! grep -Eq '^[[:space:]]*outbox_(email|sms)[[:space:]]*=[[:space:]]*(smtp|sms_http)' "$CONF"; then
		say "emails and SMS (one-time codes, invitations) are written to $VAR/outbox.log" \
			"(outbox_email = smtp, outbox_sms = sms_http in $CONF send them for real)"
	fi
	say "health: curl -s http://127.0.0.1:$PORT/api/health"
	say "operator CLI: $BUILD/core/cabinetctl -c $CONF health"
	say "stop it with: scripts/run.sh stop (with the same CABINET_VAR)"
}

case "${1:-start}" in
start) do_start ;;
stop) do_stop ;;
status) do_status ;;
deps)
	shift
	deps_install build run "$@" || die "the Debian packages above are needed (scripts/deps.sh)"
	;;
check) check_checkout ;;
*) die "usage: scripts/run.sh [start|stop|status|deps [test]|check]" ;;
esac
