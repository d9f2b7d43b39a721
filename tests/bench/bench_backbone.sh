#!/usr/bin/env bash
# bench_backbone.sh - requests/s and p99 latency at 64 connections, in one run:
#   (a) a static file from nginx,
#   (b) a bare FastCGI responder answering a constant behind the same nginx
#       (the floor of this architecture),
#   (c) GET /api/health through the whole stack (nginx -> cabinet-api ->
#       cabinetd -> PostgreSQL),
# then the ratios c/b and c/a. Target: c/b >= 0.30.
#
#   tests/bench/bench_backbone.sh [SECONDS]     (default 10 per case)
# Environment: CABINET_BUILD_DIR (default ./build).
set -euo pipefail
# shellcheck source=stack.sh
. "$(dirname "${BASH_SOURCE[0]}")/stack.sh"
SECS=${1:-10}
bench_prepare cab-bench
BODY='{"core":"ok","status":"ok","db":"ok","schema_version":1,"uptime_s":1,"version":"0.1.0"}'

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
[ -x "$BUILD/tests/bench/fcgi_const" ] || { echo "build first ($BUILD)" >&2; exit 1; }

mkdir -p "$VAR/nginx.d" "$VAR/run"
printf '%s' "$BODY" >"$VAR/static.json"
cat >"$VAR/nginx.d/bench.conf" <<CONF
location = /bench/static { default_type application/json; alias $VAR/static.json; }
location = /bench/const { fastcgi_pass unix:$VAR/run/const.sock; include /etc/nginx/fastcgi_params; }
CONF

# wrk's 64 connections come from one address without a session: the nginx
# site's limits (10 requests/s per address) would answer nearly all of them
# 429. This benchmark measures the capacity those limits protect, so it
# lifts them; the other benchmarks keep them.
export CABINET_NGINX_LIMITS=off

bench_before_stop() {
	# the responder and its preforked children are one process group
	[ -n "${CONST_PID:-}" ] && kill -- "-$CONST_PID" 2>/dev/null
	return 0
}
bench_start

setsid "${as_user[@]}" "$BUILD/tests/bench/fcgi_const" "$VAR/run/const.sock" \
	"$(sed -n 's/^responders *= *//p' "$VAR/cabinet.conf" | tail -n 1 | grep . || echo 4)" \
	>"$VAR/const.log" 2>&1 &
CONST_PID=$!
for _ in $(seq 50); do [ -S "$VAR/run/const.sock" ] && break; sleep 0.1; done

run() { # run NAME PATH: prints "rps p99_ms"
	local out rps p99
	out=$(wrk -t2 -c64 -d"${SECS}s" --latency "http://127.0.0.1:$PORT$2")
	rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
	p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
	if grep -q "Non-2xx" <<<"$out"; then
		echo "$1: non-2xx answers:" >&2
		echo "$out" >&2
		exit 1
	fi
	# wrk prints 1.23ms / 456.00us / 1.02s
	p99=$(awk -v v="$p99" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /[0-9]s$/ && v !~ /ms$/) n *= 1000; printf "%.2f", n }')
	echo "$rps $p99"
}

curl -sf "http://127.0.0.1:$PORT/bench/const" >/dev/null
curl -sf "http://127.0.0.1:$PORT/bench/static" >/dev/null
read -r A_RPS A_P99 < <(run static /bench/static)
read -r B_RPS B_P99 < <(run fcgi_const /bench/const)
read -r C_RPS C_P99 < <(run health /api/health)

printf '%-34s %12s %10s\n' case requests/s p99_ms
printf '%-34s %12s %10s\n' "(a) static file (nginx)" "$A_RPS" "$A_P99"
printf '%-34s %12s %10s\n' "(b) constant FastCGI responder" "$B_RPS" "$B_P99"
printf '%-34s %12s %10s\n' "(c) /api/health, whole stack" "$C_RPS" "$C_P99"
awk -v a="$A_RPS" -v b="$B_RPS" -v c="$C_RPS" 'BEGIN {
	printf "c/b = %.2f (target >= 0.30)\nc/a = %.2f\n", c / b, c / a
	exit (c / b >= 0.30 ? 0 : 3)
}'
