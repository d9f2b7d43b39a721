#!/usr/bin/env bash
# bench_payslip.sh - an employee reading their payslip, requests/s and p99
# latency at 64 connections (wrk, 2 threads), in one run:
#   (b) the bare FastCGI responder answering a constant behind the same nginx
#       (the floor of the architecture, as in bench_backbone.sh),
#   (h) GET /api/health through the whole stack,
#   (m) GET /api/me with a cookie session (session resolution alone),
#   (p) GET /api/payslips/2025-03 with a cookie session: the session, the
#       employee's closed payslip (its lines, deductions and payments).
# Target (issue 11 item 9): p/b >= 0.15 with p99 under 10 ms. Prints the
# ratios; asserts nothing (README.md).
#
# The month is real: a tenant of EMPLOYEES (default 1 000) on a five-day
# week, March 2025 calculated and closed through the API, one employee with a
# vacation paid in March (vacation pay from a stored year), an advance and
# the salary paid; wrk reads that employee's payslip with its session.
#
#   tests/bench/bench_payslip.sh [SECONDS]      (default 10 per case)
# Environment: CABINET_BUILD_DIR (default ./build), EMPLOYEES; STATEMENTS=1
# then also counts each signed-in case's statements per request (200 requests
# one after another, pg_stat_statements loaded after the wrk runs, so the
# module costs the measured runs nothing) with their time in PostgreSQL.
set -euo pipefail
# shellcheck source=stack.sh
. "$(dirname "${BASH_SOURCE[0]}")/stack.sh"
SECS=${1:-10}
N=${EMPLOYEES:-1000}
bench_prepare cab-benchslip

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
[ -x "$BUILD/tests/bench/fcgi_const" ] || { echo "build first ($BUILD)" >&2; exit 1; }

mkdir -p "$VAR/nginx.d" "$VAR/run"
cat >"$VAR/nginx.d/bench.conf" <<CONF
location = /bench/const { fastcgi_pass unix:$VAR/run/const.sock; include /etc/nginx/fastcgi_params; }
CONF
# 64 connections of one session from one address: the site's per-address and
# per-session limits would answer them 429; this measures the capacity the
# limits protect, so it lifts them (README.md "Request limits").
export CABINET_NGINX_LIMITS=off

bench_before_stop() {
	[ -n "${CONST_PID:-}" ] && kill -- "-$CONST_PID" 2>/dev/null
	return 0
}
bench_start

setsid "${as_user[@]}" "$BUILD/tests/bench/fcgi_const" "$VAR/run/const.sock" \
	"$(sed -n 's/^responders *= *//p' "$VAR/cabinet.conf" | tail -n 1 | grep . || echo 4)" \
	>"$VAR/const.log" 2>&1 &
CONST_PID=$!
for _ in $(seq 50); do [ -S "$VAR/run/const.sock" ] && break; sleep 0.1; done

ADMIN=$(head -c 32 /dev/urandom | base64 | tr -d '/+=\n' | head -c 43)
EMP=$(head -c 32 /dev/urandom | base64 | tr -d '/+=\n' | head -c 43)
hash() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
bench_psql -v n="$N" -v ah="$(hash "$ADMIN")" -v eh="$(hash "$EMP")" <<'SQL' >/dev/null
\set ON_ERROR_STOP 1
BEGIN;
INSERT INTO tenants (subdomain, name, status, ready_at) VALUES ('slip', 'slip', 'ready', now());
SELECT id AS t FROM tenants WHERE subdomain = 'slip' \gset
INSERT INTO schedules (tenant_id, name, kind, holidays, pattern)
    VALUES (:t, 'Пятидневка', 'week', 'calendar', '[[800,0],[800,0],[800,0],[800,0],[800,0],[0,0],[0,0]]');
SELECT id AS s FROM schedules WHERE tenant_id = :t \gset
INSERT INTO employees (tenant_id, full_name, personnel_number, hired)
    SELECT :t, 'Сотрудник ' || g, 'Т-' || g, DATE '2024-01-01' FROM generate_series(1, :n) g;
INSERT INTO employee_pay (tenant_id, employee_id, date_from, rate, pay_by)
    SELECT :t, id, '2024-01-01', 60000 + id % 100, 'days' FROM employees WHERE tenant_id = :t;
INSERT INTO schedule_assignments (tenant_id, employee_id, schedule_id, date_from)
    SELECT :t, id, :s, '2024-01-01' FROM employees WHERE tenant_id = :t;
SELECT min(id) AS e FROM employees WHERE tenant_id = :t \gset
-- a year of stored results (the vacation pay's average), then March's vacation
INSERT INTO payroll_documents (tenant_id, month, status, closed_at)
    SELECT :t, m, 'closed', now() FROM generate_series(DATE '2024-03-01', DATE '2025-02-01', interval '1 month') m;
-- stored as a closed history is: consistent and not stale. The trigger that
-- marks later months' НДФЛ stale when a month's result is written would mark
-- every seeded month but the first (and, on 240 000 rows at once, take
-- minutes), so it is off for this one statement
ALTER TABLE payroll_employees DISABLE TRIGGER payroll_employees_stale_i;
INSERT INTO payroll_employees (tenant_id, document_id, employee_id, month, source, norm, pay_by, rate,
                               accrued, base_ytd, ndfl, net, paid, earnings, insured)
    SELECT :t, d.id, :e, d.month, 'deviations', 'per_period', 'days', 60000, 60000, 60000, 7800, 52200,
           52200, 60000, 60000 FROM payroll_documents d WHERE d.tenant_id = :t;
ALTER TABLE payroll_employees ENABLE TRIGGER payroll_employees_stale_i;
INSERT INTO deviations (tenant_id, employee_id, code, date_from, date_to, whole_day)
    VALUES (:t, :e, 9, '2025-03-17', '2025-03-30', true);
INSERT INTO users (tenant_id, full_name, email, status) VALUES (:t, 'Администратор', 'admin@slip.example', 'active');
INSERT INTO users (tenant_id, full_name, email, status, employee_id) VALUES (:t, 'Сотрудник', 'emp@slip.example', 'active', :e);
INSERT INTO user_roles (tenant_id, user_id, role)
    SELECT :t, id, 'admin' FROM users WHERE tenant_id = :t AND email = 'admin@slip.example';
INSERT INTO sessions (tenant_id, token_hash, user_id, csrf, expires_at)
    SELECT :t, decode(:'ah', 'hex'), id, 'bench-csrf', now() + interval '1 day' FROM users
    WHERE tenant_id = :t AND email = 'admin@slip.example';
INSERT INTO sessions (tenant_id, token_hash, user_id, csrf, expires_at)
    SELECT :t, decode(:'eh', 'hex'), id, 'bench-csrf', now() + interval '1 day' FROM users
    WHERE tenant_id = :t AND email = 'emp@slip.example';
COMMIT;
ANALYZE;
SQL
EID=$(bench_psql -c "SELECT employee_id FROM users WHERE email = 'emp@slip.example'")

api() { # api METHOD PATH [BODY]: the admin's call; exits on a non-2xx
	local out
	out=$(curl -s -o "$VAR/api.json" -w '%{http_code}' -X "$1" -H "Host: slip.localhost:$PORT" \
		-H 'Content-Type: application/json' -H "Cookie: cabinet_session=$ADMIN; cabinet_csrf=bench-csrf" \
		-H 'X-CSRF-Token: bench-csrf' -d "${3:-{\}}" "http://127.0.0.1:$PORT$2")
	case "$out" in 2*) ;; *) echo "$1 $2 answered $out: $(head -c 600 "$VAR/api.json")" >&2; exit 1 ;; esac
}
api POST /api/admin/payroll/2025-03/calculate
api POST /api/admin/payments "{\"employee_id\": $EID, \"date\": \"2025-03-14\", \"kind\": \"vacation_pay\"}"
api POST /api/admin/payments "{\"employee_id\": $EID, \"date\": \"2025-03-15\", \"kind\": \"advance\"}"
api POST /api/admin/payroll/2025-03/close
api POST /api/admin/payments "{\"employee_id\": $EID, \"date\": \"2025-04-05\", \"kind\": \"salary\", \"amount\": \"1000.00\"}" || true

# CPU time (ms) so far of each part of the stack, each process with its
# children: "nginx cabinet-api cabinetd postgres" (the responders' second
# process, cabinet-admin, serves none of these requests).
cpu_ms() {
	python3 - "$(cat "$VAR/run/nginx.pid")" "$(cat "$VAR/run/cabinet-api.pid")" \
		"$(cat "$VAR/run/cabinetd.pid")" "$(head -n 1 "$VAR/pg/data/postmaster.pid")" <<'PY'
import os, sys
tick = os.sysconf("SC_CLK_TCK")
parent, cpu = {}, {}
for d in os.listdir("/proc"):
    if d.isdigit():
        try:
            f = open("/proc/%s/stat" % d).read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parent[int(d)], cpu[int(d)] = int(f[1]), int(f[11]) + int(f[12])
def tree(root):
    return sum(t for p, t in cpu.items() if p == root or any(
        q == root for q in iter_up(p)))
def iter_up(p):
    while p in parent and parent[p] > 1:
        p = parent[p]
        yield p
print(" ".join("%d" % (tree(int(r)) * 1000 // tick) for r in sys.argv[1:]))
PY
}

run() { # run NAME PATH [COOKIE]: prints "rps p99_ms cpu", cpu = the CPU ms per
	# request of nginx/cabinet-api/cabinetd/postgres
	local out rps p99 n before after
	before=$(cpu_ms)
	out=$(wrk -t2 -c64 -d"${SECS}s" --latency -H "Host: slip.localhost:$PORT" ${3:+-H "Cookie: $3"} \
		"http://127.0.0.1:$PORT$2")
	after=$(cpu_ms)
	rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
	p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
	n=$(awk '/requests in/ {print $1}' <<<"$out")
	if grep -q "Non-2xx" <<<"$out"; then
		echo "$1: non-2xx answers:" >&2
		echo "$out" >&2
		exit 1
	fi
	p99=$(awk -v v="$p99" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /[0-9]s$/ && v !~ /ms$/) n *= 1000; printf "%.2f", n }')
	echo "$rps $p99 $(awk -v n="$n" -v b="$before" -v a="$after" 'BEGIN {
		split(b, x, " "); split(a, y, " ")
		printf "%.3f/%.3f/%.3f/%.3f", (y[1] - x[1]) / n, (y[2] - x[2]) / n, (y[3] - x[3]) / n, (y[4] - x[4]) / n
	}')"
}

COOKIE="cabinet_session=$EMP; cabinet_csrf=bench-csrf"
curl -sf -H "Host: slip.localhost:$PORT" -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT/api/payslips/2025-03" \
	>"$VAR/slip.json" || { echo "the payslip is not readable" >&2; exit 1; }
read -r B_RPS B_P99 B_CPU < <(run fcgi_const /bench/const)
read -r H_RPS H_P99 H_CPU < <(run health /api/health)
read -r M_RPS M_P99 M_CPU < <(run me /api/me "$COOKIE")
read -r P_RPS P_P99 P_CPU < <(run payslip /api/payslips/2025-03 "$COOKIE")

printf 'payslip: %s bytes, %s\n' "$(wc -c <"$VAR/slip.json")" \
	"$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(", ".join(a["kind"] for a in d["accruals"]), "/ payments", len(d["payments"]))' "$VAR/slip.json")"
printf '%-40s %12s %10s  %s\n' case requests/s p99_ms "CPU ms per request: nginx/cabinet-api/cabinetd/postgres"
printf '%-40s %12s %10s  %s\n' "(b) constant FastCGI responder" "$B_RPS" "$B_P99" "$B_CPU"
printf '%-40s %12s %10s  %s\n' "(h) /api/health" "$H_RPS" "$H_P99" "$H_CPU"
printf '%-40s %12s %10s  %s\n' "(m) /api/me, cookie session" "$M_RPS" "$M_P99" "$M_CPU"
printf '%-40s %12s %10s  %s\n' "(p) /api/payslips/2025-03, cookie session" "$P_RPS" "$P_P99" "$P_CPU"
awk -v b="$B_RPS" -v h="$H_RPS" -v m="$M_RPS" -v p="$P_RPS" -v p99="$P_P99" 'BEGIN {
	printf "h/b = %.2f, m/b = %.2f, p/b = %.2f (target >= 0.15), payslip p99 %.2f ms (target < 10): %s\n",
	       h / b, m / b, p / b, p99, (p / b >= 0.15 && p99 < 10 ? "met" : "missed")
}'

[ "${STATEMENTS:-0}" = 1 ] || exit 0
# The statements of a signed-in read, counted by pg_stat_statements: the
# stack again with the module loaded (the data stays in $VAR).
bench_psql -c "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements', 'auto_explain'" >/dev/null
"$ROOT/scripts/run.sh" stop >/dev/null
bench_start
bench_psql -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
bench_psql -c "ALTER SYSTEM SET pg_stat_statements.track_planning = on" >/dev/null
bench_psql -c "ALTER SYSTEM SET pg_stat_statements.track = 'all'" >/dev/null
bench_psql -c "SELECT pg_reload_conf()" >/dev/null
statements() { # statements NAME PATH: 200 requests, then the statements per request
	local i
	curl -sf -o /dev/null -H "Host: slip.localhost:$PORT" -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT$2"
	bench_psql -c "SELECT pg_stat_statements_reset()" >/dev/null
	for i in $(seq 200); do
		curl -sf -o /dev/null -H "Host: slip.localhost:$PORT" -H "Cookie: $COOKIE" \
			"http://127.0.0.1:$PORT$2"
	done
	echo "$1: per request (calls / 200; ms = planning + execution, mean per call; plans: planned per call; nested = inside a function)"
	bench_psql -F $'\t' -c "SELECT round(calls / 200.0, 2), round(((total_plan_time + total_exec_time) / greatest(calls, 1))::numeric, 3),
	                               round(plans::numeric / greatest(calls, 1), 2),
	                               CASE WHEN toplevel THEN '' ELSE 'nested ' END ||
	                               regexp_replace(left(query, 100), '\s+', ' ', 'g')
	                          FROM pg_stat_statements
	                         WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'cabinet')
	                           AND query NOT LIKE '%pg_stat_statements%'
	                         ORDER BY toplevel DESC, calls DESC, total_exec_time DESC" |
		awk -F'\t' '{ printf "  %6s  %7s ms  plans %4s  %s\n", $1, $2, $3, $4; if ($4 !~ /^nested/) n += $1 }
		            END { printf "  %6.2f statements sent by cabinetd per request\n", n }'
}
statements "(m) /api/me" /api/me
statements "(p) /api/payslips/2025-03" /api/payslips/2025-03
# The payslip's own statement as cabinetd runs it (prepared, row-level
# security on, the plan PostgreSQL chose after 200 executions): auto_explain
# with ANALYZE for one request, from PostgreSQL's log.
bench_psql -c "ALTER SYSTEM SET auto_explain.log_min_duration = 0" >/dev/null
bench_psql -c "ALTER SYSTEM SET auto_explain.log_analyze = on" >/dev/null
bench_psql -c "ALTER SYSTEM SET auto_explain.log_buffers = on" >/dev/null
bench_psql -c "SELECT pg_reload_conf()" >/dev/null
sleep 0.5
curl -sf -o /dev/null -H "Host: slip.localhost:$PORT" -H "Cookie: $COOKIE" \
	"http://127.0.0.1:$PORT/api/payslips/2025-03"
sleep 0.5
echo "(p) the payslip's statement (auto_explain, ANALYZE):"
awk '/Query Text: WITH h AS/ { on = 1; n = 0; next } on && /^[ \t]/ { if (n++ < 60) print "  " $0; next } { on = 0 }' \
	"$VAR/log/postgresql.log" | tail -n 60
