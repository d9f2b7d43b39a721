#!/usr/bin/env bash
# bench_staff.sh - the exchange and the employee search at scale, through the
# whole stack (nginx -> cabinet-api -> cabinetd -> PostgreSQL):
#   (a) GET /api/health                                  (the floor of a request)
#   (b) PUT /api/exchange/v1/departments, 200 departments (a tree, one batch)
#   (c) PUT /api/exchange/v1/employees, 10 000 employees in one batch, each with
#       a schedule and pay terms (all created)
#   (d) the same batch again (all unchanged)
#   (h) the batch with every employee's phone and pay changed (all updated)
#   (e) GET /api/admin/employees?q=<part of a name>&limit=50 over 10 000
#   (f) GET /api/admin/employees?department=<a top department>&limit=50
#   (g) GET /api/admin/employees?q=<personnel number>&state=not_created
# and cabinetd's peak resident memory (VmHWM) after all of it.
# (e)-(g) run N times one after another, the median is reported; (b)-(d) once.
# Targets: (c) under 10 s, (d) under 5 s, (e)-(g) under 50 ms, memory under 64 MiB
# (VmHWM is the peak of the whole run: every case above included). (h) has no
# target of its own; it keeps the update path honest (see README.md).
#
#   tests/bench/bench_staff.sh [N]
# Environment: CABINET_BUILD_DIR (default ./build), EMPLOYEES (default 10000).
set -euo pipefail
# shellcheck source=stack.sh
. "$(dirname "${BASH_SOURCE[0]}")/stack.sh"
N=${1:-20}
EMPLOYEES=${EMPLOYEES:-10000}
bench_prepare cab-bench-staff
bench_start
sql() { bench_psql -c "$1"; }

TOKEN=$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')
HASH=$(printf '%s' "$TOKEN" | sha256sum | cut -d' ' -f1)
KEY=ck_$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')
KHASH=$(printf '%s' "$KEY" | sha256sum | cut -d' ' -f1)
TID=$(sql "INSERT INTO tenants (subdomain, name, status, ready_at) VALUES ('bench', 'ООО Бенч', 'ready', now()) RETURNING id")
UID_=$(sql "INSERT INTO users (tenant_id, full_name, email, status) VALUES ($TID, 'Администратор', 'admin@bench.ru', 'active') RETURNING id")
sql "INSERT INTO user_roles (tenant_id, user_id, role) VALUES ($TID, $UID_, 'admin')"
sql "INSERT INTO sessions (tenant_id, token_hash, user_id, csrf, expires_at) VALUES ($TID, '\\x$HASH', $UID_, 'x', now() + interval '1 day')"
sql "INSERT INTO api_keys (tenant_id, name, key_hash, prefix) VALUES ($TID, 'bench', '\\x$KHASH', 'ck_')"
sql "INSERT INTO schedules (tenant_id, name, kind, holidays, pattern)
     VALUES ($TID, 'Пятидневка', 'week', 'calendar', '[[800,0],[800,0],[800,0],[800,0],[800,0],[0,0],[0,0]]')"

python3 - "$VAR" "$EMPLOYEES" <<'PY'
import json, random, sys
var, n = sys.argv[1], int(sys.argv[2])
random.seed(7)
first = ["Иван", "Пётр", "Анна", "Мария", "Олег", "Елена", "Сергей", "Ольга"]
last = ["Иванов", "Петров", "Сидоров", "Кузнецов", "Смирнов", "Попов", "Соколов", "Лебедев"]
json.dump({"items": [{"external_id": "org", "name": "ООО «Бенч»", "inn": "7707083893"}]},
          open(var + "/org.json", "w"))
deps = [{"external_id": "d%d" % i, "name": "Отдел %d" % i, "organization": "org",
         "parent": None if i < 20 else "d%d" % (i % 20)} for i in range(200)]
random.shuffle(deps)  # children before parents: references resolve in any order
json.dump({"items": deps}, open(var + "/deps.json", "w"), ensure_ascii=False)
json.dump({"items": [{"external_id": "p1", "name": "Инженер"}]}, open(var + "/pos.json", "w"))
emps = []
for i in range(n):
    emps.append({"external_id": "e%d" % i, "personnel_number": "%06d" % i,
                 "full_name": "%s %s %s" % (random.choice(last), random.choice(first), "Сергеевич"),
                 "birth_date": "1990-05-17", "organization": "org", "department": "d%d" % (i % 200),
                 "position": "p1", "hired": "2024-01-15", "phone": "+79%09d" % i,
                 "email": "e%d@bench.example" % i,
                 "schedules": [{"date_from": "2024-01-15", "schedule": "Пятидневка"}],
                 "pay": [{"date_from": "2024-01-15", "rate": "60000.00", "pay_by": "days"}]})
json.dump({"items": emps}, open(var + "/emps.json", "w"), ensure_ascii=False)
for i, e in enumerate(emps):
    e["phone"] = "+7912%07d" % i
    e["pay"] = e["pay"] + [{"date_from": "2025-01-01", "rate": "65000.00", "pay_by": "days"}]
json.dump({"items": emps}, open(var + "/emps2.json", "w"), ensure_ascii=False)
PY

put() { # put WHAT FILE: prints seconds, checks 200
	local t code
	read -r t code < <(curl -s -o "$VAR/out" -w '%{time_total} %{http_code}\n' -X PUT \
		-H "Host: bench.localhost:$PORT" -H "Authorization: Bearer $KEY" \
		-H 'Content-Type: application/json' --data-binary "@$2" "http://127.0.0.1:$PORT/api/exchange/v1/$1")
	[ "$code" = 200 ] || { echo "PUT $1 answered $code: $(head -c 300 "$VAR/out")" >&2; exit 1; }
	echo "$t $(cat "$VAR/out")"
}
get() {
	curl -s -o "$VAR/out" -w '%{time_total} %{http_code}\n' -H "Host: bench.localhost:$PORT" \
		-H "Cookie: cabinet_session=$TOKEN" "http://127.0.0.1:$PORT$1"
}
median() {
	local times=() t code
	for _ in $(seq "$N"); do
		read -r t code < <(get "$1")
		[ "$code" = 200 ] || { echo "$1 answered $code: $(head -c 300 "$VAR/out")" >&2; exit 1; }
		times+=("$t")
	done
	printf '%s\n' "${times[@]}" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}

put organizations "$VAR/org.json" >/dev/null
put positions "$VAR/pos.json" >/dev/null
B=$(put departments "$VAR/deps.json")
C=$(put employees "$VAR/emps.json")
D=$(put employees "$VAR/emps.json")
H=$(put employees "$VAR/emps2.json")
sql "ANALYZE" >/dev/null
A=$(median /api/health)
E=$(median "/api/admin/employees?q=%D0%BF%D0%B5%D1%82%D1%80%D0%BE%D0%B2%20%D0%BE%D0%BB&limit=50")
F=$(median "/api/admin/employees?department=d3&limit=50")
G=$(median "/api/admin/employees?q=004217&state=not_created&limit=50")
PID=$(cat "$VAR/run/cabinetd.pid" 2>/dev/null || pgrep -f "cabinetd.*$VAR" | head -1)
MEM=$(awk '/VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$PID/status")
BYTES=$(stat -c %s "$VAR/emps.json")

echo "bench_staff: $EMPLOYEES employees in one batch ($((BYTES / 1024)) KiB), median of $N for searches"
echo "  (a) /api/health                          $A s"
echo "  (b) 200 departments, created             ${B%% *} s  ${B#* }"
echo "  (c) $EMPLOYEES employees, created           ${C%% *} s  ${C#* }"
echo "  (d) the same again, unchanged            ${D%% *} s  ${D#* }"
echo "  (h) every employee changed               ${H%% *} s  ${H#* }"
echo "  (e) search by name                       $E s"
echo "  (f) search by department (+ sub-deps)    $F s"
echo "  (g) search by number and cabinet state   $G s"
echo "  cabinetd peak RSS (VmHWM)                $MEM MiB"
