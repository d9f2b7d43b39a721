#!/usr/bin/env bash
# bench_t13.sh - the T-13 report for 1 000 employees, through the whole
# stack (nginx -> cabinet-api -> cabinetd -> PostgreSQL):
#   (a) GET /api/health                       (the floor of a request)
#   (b) GET /api/admin/t13/2025-04?ids=<one>   (T-13 of one employee)
#   (c) GET /api/admin/t13/2025-04             (JSON, 1 000 employees)
#   (d) GET /api/admin/t13/2025-04/export.xlsx (XLSX, 1 000 employees)
#   (e) POST /api/admin/timesheets/fill        (every timesheet of the month
#       filled from schedules and deviations: 800 drafts written, 200 posted kept)
# Each case runs N times (default 10) one after another; the median wall time
# is reported, and the ratios c/b and d/b. Target: (c) and (d) under 1 s.
#
# The month is seeded with SQL generate_series: a five-day schedule assigned
# to everyone, 10% with a sick leave (Б, 3 days), 10% with overtime (С),
# 20% with a posted timesheet of 30 rows.
#
#   tests/bench/bench_t13.sh [N]
# Environment: CABINET_BUILD_DIR (default ./build), EMPLOYEES (default 1000).
set -euo pipefail
# shellcheck source=stack.sh
. "$(dirname "${BASH_SOURCE[0]}")/stack.sh"
N=${1:-10}
EMPLOYEES=${EMPLOYEES:-1000}
bench_prepare cab-bench
bench_start
sql() { bench_psql -c "$1"; }

TOKEN=$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')
HASH=$(printf '%s' "$TOKEN" | sha256sum | cut -d' ' -f1)
TID=$(sql "INSERT INTO tenants (subdomain, name, status, ready_at) VALUES ('bench', 'ООО Бенч', 'ready', now()) RETURNING id")
UID_=$(sql "INSERT INTO users (tenant_id, full_name, email, status) VALUES ($TID, 'Администратор', 'admin@bench.ru', 'active') RETURNING id")
sql "INSERT INTO user_roles (tenant_id, user_id, role) VALUES ($TID, $UID_, 'admin')"
sql "INSERT INTO sessions (tenant_id, token_hash, user_id, csrf, expires_at) VALUES ($TID, '\\x$HASH', $UID_, 'x', now() + interval '1 day')"
sql "INSERT INTO employees (tenant_id, full_name, personnel_number, position)
     SELECT $TID, 'Сотрудник ' || g, lpad(g::text, 5, '0'), 'Инженер' FROM generate_series(1, $EMPLOYEES) g"
SID=$(sql "INSERT INTO schedules (tenant_id, name, kind, holidays, pattern)
           VALUES ($TID, 'Пятидневка', 'week', 'calendar', '[[800,0],[800,0],[800,0],[800,0],[800,0],[0,0],[0,0]]') RETURNING id")
sql "INSERT INTO schedule_assignments (tenant_id, employee_id, schedule_id, date_from)
     SELECT $TID, id, $SID, '2025-01-01' FROM employees WHERE tenant_id = $TID"
sql "INSERT INTO deviations (tenant_id, employee_id, code, date_from, date_to, whole_day)
     SELECT $TID, id, 19, '2025-04-14', '2025-04-16', true FROM employees WHERE tenant_id = $TID AND id % 10 = 0"
sql "INSERT INTO deviations (tenant_id, employee_id, code, date_from, date_to, hours, whole_day)
     SELECT $TID, id, 4, '2025-04-17', '2025-04-17', 200, false FROM employees WHERE tenant_id = $TID AND id % 10 = 1"
sql "INSERT INTO timesheets (tenant_id, employee_id, month, status, posted_at)
     SELECT $TID, id, '2025-04-01', 'posted', now() FROM employees WHERE tenant_id = $TID AND id % 5 = 2"
sql "INSERT INTO timesheet_rows (tenant_id, timesheet_id, date, code, hours)
     SELECT $TID, t.id, d::date, CASE WHEN extract(isodow FROM d) < 6 THEN 1 ELSE 26 END,
            CASE WHEN extract(isodow FROM d) < 6 THEN 800 ELSE 0 END
     FROM timesheets t, generate_series('2025-04-01'::date, '2025-04-30', '1 day') d WHERE t.tenant_id = $TID"
sql "ANALYZE"
ONE=$(sql "SELECT min(id) FROM employees WHERE tenant_id = $TID")

get() { # get PATH OUT: prints seconds
	curl -s -o "$2" -w '%{time_total} %{http_code}\n' -H "Host: bench.localhost:$PORT" \
		-H "Cookie: cabinet_session=$TOKEN" "http://127.0.0.1:$PORT$1"
}
post() { # post PATH JSON OUT: prints seconds
	curl -s -o "$3" -w '%{time_total} %{http_code}\n' -H "Host: bench.localhost:$PORT" \
		-H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d "$2" \
		"http://127.0.0.1:$PORT$1"
}
median() { # median PATH [JSON]: N runs (a POST of JSON when given), median seconds
	local times=() t code
	for _ in $(seq "$N"); do
		if [ $# -gt 1 ]; then
			read -r t code < <(post "$1" "$2" "$VAR/out")
		else
			read -r t code < <(get "$1" "$VAR/out")
		fi
		[ "$code" = 200 ] || { echo "$1 answered $code: $(head -c 300 "$VAR/out")" >&2; exit 1; }
		times+=("$t")
	done
	printf '%s\n' "${times[@]}" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}

get /api/admin/t13/2025-04 "$VAR/t13.json" >/dev/null # warm up
COUNT=$(python3 -c "import json,sys; print(json.load(open('$VAR/t13.json'))['count'])")
[ "$COUNT" = "$EMPLOYEES" ] || { echo "T-13 has $COUNT employees, not $EMPLOYEES" >&2; exit 1; }
A=$(median /api/health)
B=$(median "/api/admin/t13/2025-04?ids=$ONE")
C=$(median /api/admin/t13/2025-04)
D=$(median /api/admin/t13/2025-04/export.xlsx)
head -c 2 "$VAR/out" | grep -q PK || { echo "the XLSX is not a zip" >&2; exit 1; }
JSON_BYTES=$(stat -c %s "$VAR/t13.json")
XLSX_BYTES=$(stat -c %s "$VAR/out")
E=$(median /api/admin/timesheets/fill '{"month": "2025-04"}')
FILLED=$(python3 -c "import json; print(json.load(open('$VAR/out'))['filled'])")

printf '%-44s %10s\n' "case (median of $N)" seconds
printf '%-44s %10s\n' "(a) /api/health" "$A"
printf '%-44s %10s\n' "(b) T-13 JSON, 1 employee" "$B"
printf '%-44s %10s\n' "(c) T-13 JSON, $EMPLOYEES employees ($JSON_BYTES B)" "$C"
printf '%-44s %10s\n' "(d) T-13 XLSX, $EMPLOYEES employees ($XLSX_BYTES B)" "$D"
printf '%-44s %10s\n' "(e) fill every timesheet ($FILLED drafts)" "$E"
awk -v b="$B" -v c="$C" -v d="$D" -v e="$E" 'BEGIN {
	printf "c/b = %.1f  d/b = %.1f  e/b = %.1f  (target: c, d < 1 s)\n", c / b, d / b, e / b
	exit (c < 1 && d < 1 ? 0 : 3)
}'
