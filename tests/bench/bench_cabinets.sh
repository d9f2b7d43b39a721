#!/usr/bin/env bash
# bench_cabinets.sh - cabinets at scale, through the whole stack (nginx ->
# cabinet-api -> cabinetd -> PostgreSQL), over a tenant of 10 000 employees
# (200 departments):
#   (a) GET /api/health                                     (the floor of a request)
#   (b) POST /api/admin/cabinets/create, all 10 000 employees at once, with
#       "send invitations automatically after creation" on: 10 000 accounts
#       created and 10 000 invitations queued (delivered in the background)
#   (c) GET /api/admin/cabinets?limit=50                     (the first page)
#   (d) GET /api/admin/cabinets?state=invited&limit=50&offset=5000 (filtered, deep)
#   (e) GET /api/admin/cabinets?q=<part of a name>&limit=50   (searched)
#   (f) POST /api/admin/publication/apply after narrowing the publication to
#       10 of the 20 top departments: about half the cabinets disabled
#   (g) the same list as (d), filtered by state=disabled
# and cabinetd's peak resident memory (VmHWM) after all of it.
# (c)-(e), (g) run N times one after another, the median is reported; (b), (f) once.
# Targets: (b) under 10 s, (c)-(e) under 100 ms, memory under 64 MiB.
#
#   tests/bench/bench_cabinets.sh [N]
# Environment: CABINET_BUILD_DIR (default ./build), EMPLOYEES (default 10000).
set -euo pipefail
# shellcheck source=stack.sh
. "$(dirname "${BASH_SOURCE[0]}")/stack.sh"
N=${1:-20}
EMPLOYEES=${EMPLOYEES:-10000}
bench_prepare cab-bench-cabinets
bench_start
sql() { bench_psql -c "$1"; }

TOKEN=$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')
HASH=$(printf '%s' "$TOKEN" | sha256sum | cut -d' ' -f1)
TID=$(sql "INSERT INTO tenants (subdomain, name, status, ready_at) VALUES ('bench', 'ООО Бенч', 'ready', now()) RETURNING id")
UID_=$(sql "INSERT INTO users (tenant_id, full_name, email, status) VALUES ($TID, 'Администратор', 'admin@bench.ru', 'active') RETURNING id")
sql "INSERT INTO user_roles (tenant_id, user_id, role) VALUES ($TID, $UID_, 'admin')"
sql "INSERT INTO sessions (tenant_id, token_hash, user_id, csrf, expires_at) VALUES ($TID, '\\x$HASH', $UID_, 'x', now() + interval '1 day')"

# The staff straight into the tables (the exchange has its own benchmark,
# bench_staff.sh, and its own memory peak): 200 departments in a tree of 20
# tops, 10 000 employees with email and phone.
sql "INSERT INTO departments (tenant_id, external_id, name) SELECT $TID, 'd' || g, 'Отдел ' || g
     FROM generate_series(0, 199) g" >/dev/null
sql "UPDATE departments d SET parent_id = p.id FROM departments p WHERE d.tenant_id = $TID
     AND p.tenant_id = $TID AND substr(d.external_id, 2)::int >= 20
     AND p.external_id = 'd' || substr(d.external_id, 2)::int % 20" >/dev/null
sql "INSERT INTO employees (tenant_id, external_id, personnel_number, full_name, department_id, hired,
     phone, email) SELECT $TID, 'e' || g, lpad(g::text, 6, '0'), (ARRAY['Иванов', 'Петров', 'Сидоров',
     'Кузнецов', 'Смирнов', 'Попов', 'Соколов', 'Лебедев'])[1 + g % 8] || ' ' || (ARRAY['Иван', 'Пётр',
     'Анна', 'Мария', 'Олег', 'Елена', 'Сергей', 'Ольга'])[1 + (g / 8) % 8] || ' Сергеевич',
     (SELECT id FROM departments WHERE tenant_id = $TID AND external_id = 'd' || g % 200), '2024-01-15',
     '+79' || lpad(g::text, 9, '0'), 'e' || g || '@bench.example' FROM generate_series(1, $EMPLOYEES) g" >/dev/null
echo '{"departments": ["d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8", "d9"]}' >"$VAR/half.json"

call() { # call METHOD PATH SESSION [FILE]: prints the seconds, checks 2xx
	local t code auth="Cookie: cabinet_session=$3; cabinet_csrf=x"
	read -r t code < <(curl -s -o "$VAR/out" -w '%{time_total} %{http_code}\n' -X "$1" \
		-H "Host: bench.localhost:$PORT" -H "$auth" -H "X-CSRF-Token: x" \
		-H 'Content-Type: application/json' ${4:+--data-binary "@$4"} "http://127.0.0.1:$PORT$2")
	case $code in 2??) ;; *) echo "$1 $2 answered $code: $(head -c 300 "$VAR/out")" >&2; exit 1 ;; esac
	echo "$t"
}
median() {
	local times=() t
	for _ in $(seq "$N"); do
		t=$(call GET "$1" "$TOKEN")
		times+=("$t")
	done
	printf '%s\n' "${times[@]}" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}

echo '{"auto_invite": true}' >"$VAR/settings.json"
call PUT /api/admin/cabinets/settings "$TOKEN" "$VAR/settings.json" >/dev/null
sql "SELECT json_build_object('employees', json_agg(id ORDER BY id)) FROM employees WHERE tenant_id = $TID
     AND external_id LIKE 'e%'" >"$VAR/ids.json"
sql "ANALYZE" >/dev/null

A=$(median /api/health)
B=$(call POST /api/admin/cabinets/create "$TOKEN" "$VAR/ids.json")
CREATED=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["created"], sum(x["state"] == "invited" for x in r["results"]))' "$VAR/out")
QUEUED=$(sql "SELECT count(*) FROM outbox WHERE tenant_id = $TID AND kind = 'invitation'")
sql "ANALYZE" >/dev/null
C=$(median "/api/admin/cabinets?limit=50")
D=$(median "/api/admin/cabinets?state=invited&limit=50&offset=5000")
E=$(median "/api/admin/cabinets?q=%D0%BF%D0%B5%D1%82%D1%80%D0%BE%D0%B2%20%D0%BE%D0%BB&limit=50")
call PUT /api/admin/publication "$TOKEN" "$VAR/half.json" >/dev/null
F=$(call POST /api/admin/publication/apply "$TOKEN" "$VAR/settings.json")
DISABLED=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["run"]["disabled"])' "$VAR/out")
G=$(median "/api/admin/cabinets?state=disabled&limit=50&offset=2500")
PID=$(cat "$VAR/run/cabinetd.pid")
MEM=$(awk '/VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$PID/status")

echo "bench_cabinets: $EMPLOYEES employees in 200 departments, median of $N for the lists"
echo "  (a) /api/health                                  $A s"
echo "  (b) create $EMPLOYEES cabinets, invitations queued  $B s  (created, invited: $CREATED; queued: $QUEUED)"
echo "  (c) cabinets, first page                         $C s"
echo "  (d) cabinets, state=invited, offset 5000         $D s"
echo "  (e) cabinets, search by name                     $E s"
echo "  (f) publication narrowed and applied             $F s  (disabled: $DISABLED)"
echo "  (g) cabinets, state=disabled, offset 2500        $G s"
echo "  cabinetd peak RSS (VmHWM)                        $MEM MiB"
