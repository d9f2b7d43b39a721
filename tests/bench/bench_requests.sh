#!/usr/bin/env bash
# bench_requests.sh - requests at scale, through the whole stack (nginx ->
# cabinet-api -> cabinetd -> PostgreSQL), issue 12 item 11: with 10 000
# employees and 100 000 requests in every state (their tasks and history
# seeded with generate_series), at 16 concurrent users, each a person with
# a session of their own, for N requests each:
#   (a) GET /api/health                       the floor of a request, same concurrency
#   (b) POST /api/requests                    16 employees of 16 departments file an
#                                             absence (their manager's approval task,
#                                             history, audit, notification)
#   (c) POST /api/tasks/{id}/approve          16 department heads approve seeded tasks
#                                             (the performer's task, history, audit,
#                                             notifications)
#   (d) GET /api/tasks                        the same heads' task lists (their open
#                                             tasks, a few hundred closed ones beside)
# p50 and p99 of each; targets: (b) and (c) p99 under 20 ms, (d) p99 under 50 ms.
# Nothing is asserted: the numbers and their ratio to (a) are printed.
#
#   tests/bench/bench_requests.sh [N]
# Environment: CABINET_BUILD_DIR (default ./build), EMPLOYEES (default 10000),
# REQUESTS (default 100000), USERS (default 16); STATEMENTS=1 loads pg_stat_statements
# and prints each case's statements per request (STATEMENTS_TOP of them, default 40);
# PG_SETTINGS="name=value ..." sets PostgreSQL's for the measured cases (below).
# Each case also prints the CPU time the stack's processes spent per request (from
# /proc/<pid>/stat: nginx, cabinet-api, cabinetd, PostgreSQL's client backends, its
# background processes (autovacuum, WAL writer, checkpointer) apart)
# and the load average at its start and end: on a shared machine the CPU per request
# compares across runs, the latencies do not.
# TRACE=DIR (a directory to create) keeps, per case, each request's start and latency
# (CASE.requests.tsv), what PostgreSQL's backends were waiting on, sampled every few
# ms (CASE.activity.tsv), cabinetd's log at debug level (each request's time in its
# worker) and PostgreSQL's log with checkpoints and autovacuum runs, and prints each
# case's slowest requests with their place in the run.
#
# By default each person sends the next request as soon as the last is answered
# (a closed loop without pauses: the case measures the stack at saturation, and
# its latency is USERS / throughput by Little's law). RATE="r1 r2 ..." adds, for
# (b), (c) and (d), runs at a fixed offered rate instead: the same USERS people
# send in turn on a fixed timetable, r requests a second in all, and a request's
# latency counts from the moment it was due, not from when it was sent (a
# request held up behind a slow one is charged its wait: no coordinated
# omission). The highest rate whose p99 meets the target is the capacity at the
# target on this machine.
set -euo pipefail
# shellcheck source=stack.sh
. "$(dirname "${BASH_SOURCE[0]}")/stack.sh"
N=${1:-100}
EMPLOYEES=${EMPLOYEES:-10000}
REQUESTS=${REQUESTS:-100000}
USERS=${USERS:-16}
DEPARTMENTS=$((EMPLOYEES / 100 > USERS ? EMPLOYEES / 100 : USERS))
# the per-session limits of nginx would answer 429 to a benchmark's robots,
# and each robot files N requests, more than an employee's requests_per_day
export CABINET_NGINX_LIMITS=off
export CABINET_CONF_EXTRA="${CABINET_CONF_EXTRA:-}
requests_per_day = 100000"
if [ -n "${TRACE:-}" ]; then
	mkdir -p "$TRACE"
	TRACE=$(cd "$TRACE" && pwd)
	CABINET_CONF_EXTRA="$CABINET_CONF_EXTRA
log_level = debug"
	bench_before_stop() { cp "$VAR"/log/*.log "$TRACE"/ 2>/dev/null || true; }
fi
bench_prepare cab-bench-requests
bench_start
sql() { bench_psql -c "$1"; }

SEED=$(date +%s)
TID=$(sql "INSERT INTO tenants (subdomain, name, status, ready_at) VALUES ('bench', 'ООО Бенч', 'ready', now()) RETURNING id")
bench_psql -v tid="$TID" -v employees="$EMPLOYEES" -v requests="$REQUESTS" -v deps="$DEPARTMENTS" <<'SQL' >/dev/null
\set ON_ERROR_STOP 1
BEGIN;
INSERT INTO organizations (tenant_id, name) VALUES (:tid, 'ООО «Бенч»');
INSERT INTO departments (tenant_id, name, organization_id)
    SELECT :tid, 'Отдел ' || g, (SELECT id FROM organizations WHERE tenant_id = :tid)
    FROM generate_series(1, :deps) g;
CREATE TEMP TABLE deps AS
    SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM departments WHERE tenant_id = :tid;
-- with an email each: only a published employee (one with a contact,
-- publication.h) approves, and the heads must, or every submission would
-- skip its approval
INSERT INTO employees (tenant_id, full_name, personnel_number, organization_id, department_id, hired,
                       email)
    SELECT :tid, 'Сотрудник ' || g, lpad(g::text, 6, '0'),
           (SELECT id FROM organizations WHERE tenant_id = :tid),
           (SELECT id FROM deps WHERE n = g % :deps), '2020-01-01', 'e' || g || '@bench.example'
    FROM generate_series(0, :employees - 1) g;
CREATE TEMP TABLE emps AS
    SELECT id, department_id, row_number() OVER (ORDER BY id) - 1 AS n FROM employees WHERE tenant_id = :tid;
-- each department's first employee heads it; the organization's head is employee 0
UPDATE departments d SET head_id = (SELECT min(e.id) FROM emps e WHERE e.department_id = d.id)
    WHERE d.tenant_id = :tid;
UPDATE organizations SET head_id = (SELECT id FROM emps WHERE n = 0) WHERE tenant_id = :tid;
INSERT INTO users (tenant_id, full_name, employee_id, email, status)
    SELECT :tid, 'Сотрудник ' || n, id, 'e' || n || '@bench.example', 'active' FROM emps;
-- ten performers of vacations and absences, one coordinator: the last employees
INSERT INTO routing_performers (tenant_id, role, employee_id, position)
    SELECT :tid, r, e.id, e.n FROM emps e, unnest(ARRAY['vacation', 'absence']) r
    WHERE e.n >= :employees - 10;
INSERT INTO routing_performers (tenant_id, role, employee_id)
    SELECT :tid, 'coordinator', id FROM emps WHERE n = :employees - 11;
-- the requests: half done, the rest in every other state, in every
-- department alike (the state by a hash of the number: g % 20 would give
-- all of a department's requests one state, as the employee is
-- g * 7919 % employees)
CREATE TEMP TABLE reqs AS
    SELECT g, e.id AS employee_id, d.head_id AS head,
           (SELECT id FROM emps WHERE n = :employees - 10 + g % 10) AS performer,
           CASE WHEN h < 10 THEN 'done' WHEN h = 10 THEN 'draft'
                WHEN h = 11 THEN 'submitted' WHEN h < 15 THEN 'awaiting_approval'
                WHEN h = 15 THEN 'approved' WHEN h = 16 THEN 'in_progress'
                WHEN h < 19 THEN 'rejected' ELSE 'cancelled' END AS state,
           CASE WHEN g % 2 = 0 THEN 'vacation' ELSE 'absence' END AS type,
           date '2025-01-01' + (g / :employees) * 3 AS day
    FROM generate_series(0, :requests - 1) g
    CROSS JOIN LATERAL (SELECT (hashint4(g) & 2147483647) % 20 AS h) x
    JOIN emps e ON e.n = (g * 7919) % :employees
    JOIN departments d ON d.tenant_id = :tid AND d.id = e.department_id;
INSERT INTO requests (tenant_id, number, employee_id, type, state, data, date_from, date_to, chain,
                      step, approved, created_at, updated_at, submitted_at, finished_at)
    SELECT :tid, g + 1, employee_id, type, state,
           CASE WHEN type = 'vacation' THEN jsonb_build_object('kind', 'annual')
                ELSE jsonb_build_object('reason', 'day_off') END
           || jsonb_build_object('date_from', day, 'date_to', day + 1),
           day, day + 1, CASE WHEN type = 'vacation' THEN '{manager,role:vacation}'
                              ELSE '{manager,role:absence}' END::text[],
           CASE WHEN state IN ('draft', 'awaiting_approval') THEN 0 ELSE 1 END,
           state IN ('approved', 'in_progress', 'done'),
           now() - interval '1 day' * (g % 300), now() - interval '1 day' * (g % 300),
           CASE WHEN state <> 'draft' THEN now() - interval '1 day' * (g % 300) END,
           CASE WHEN state IN ('done', 'rejected', 'cancelled') THEN now() END
    FROM reqs ORDER BY g;
-- the tenant's sequence of request numbers (sql/0068) goes on after them
SELECT setval(format('request_number_%s', :tid)::regclass, :requests);
CREATE TEMP TABLE ids AS
    SELECT r.id, q.* FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS g FROM requests
                           WHERE tenant_id = :tid) r JOIN reqs q USING (g);
-- approval tasks: open while awaiting, closed as the state says
INSERT INTO request_tasks (tenant_id, request_id, step, chain_index, route, assignee_id, state,
                           closed_at)
    SELECT :tid, id, 'approval', 0, 'manager', head,
           CASE state WHEN 'awaiting_approval' THEN 'open' WHEN 'rejected' THEN 'rejected'
                      WHEN 'cancelled' THEN 'cancelled' ELSE 'done' END,
           CASE WHEN state <> 'awaiting_approval' THEN now() END
    FROM ids WHERE state <> 'draft' AND head <> employee_id;
-- execution tasks of the approved ones
INSERT INTO request_tasks (tenant_id, request_id, step, chain_index, route, assignee_id, state,
                           closed_at)
    SELECT :tid, id, 'execution', 1, 'role:' || type, performer,
           CASE WHEN state = 'done' THEN 'done' ELSE 'open' END,
           CASE WHEN state = 'done' THEN now() END
    FROM ids WHERE state IN ('submitted', 'approved', 'in_progress', 'done');
-- history: created, submitted, and one step more for the ones past approval
INSERT INTO request_events (tenant_id, request_id, at, actor_kind, actor_employee_id, action, state)
    SELECT :tid, id, now(), 'user', employee_id, a, state
    FROM ids, unnest(ARRAY['created', 'submitted', 'approved']) WITH ORDINALITY AS x(a, k)
    WHERE k = 1 OR (k = 2 AND state <> 'draft') OR (k = 3 AND state IN ('approved', 'in_progress', 'done'));
COMMIT;
ANALYZE;
SQL

# sessions: the first USERS departments' heads, and one employee of each
python3 - "$VAR" "$TID" "$USERS" <<'PY' >"$VAR/sessions.sql"
import hashlib, json, secrets, sys
var, tid, users = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
tokens = {"heads": [], "staff": []}
for kind in tokens:
    for i in range(users):
        t = secrets.token_urlsafe(32)
        tokens[kind].append(t)
        print("INSERT INTO sessions (tenant_id, token_hash, user_id, csrf, expires_at) SELECT %d, "
              "'\\x%s', u.id, 'x', now() + interval '1 day' FROM users u JOIN employees e ON "
              "e.tenant_id = u.tenant_id AND e.id = u.employee_id JOIN departments d ON d.tenant_id "
              "= e.tenant_id AND d.id = e.department_id WHERE u.tenant_id = %d AND %s ORDER BY d.id "
              "OFFSET %d LIMIT 1;" % (tid, hashlib.sha256(t.encode()).hexdigest(), tid,
                                      "d.head_id = e.id" if kind == "heads" else
                                      "d.head_id <> e.id AND e.id = (SELECT max(x.id) FROM "
                                      "employees x WHERE x.department_id = d.id)", i))
json.dump(tokens, open(var + "/tokens.json", "w"))
PY
bench_psql -f "$VAR/sessions.sql" >/dev/null
# A checkpoint after the seed: its dirty pages written now, not by a checkpoint
# during the cases, and its WAL segments recycled for the cases' WAL. Without it
# a fresh cluster zero-fills each new 16 MB segment while holding the WAL write
# lock: every commit of the stack waited on it (IO:WALInitWrite, LWLock:WALWrite)
# and 16 submissions took 430-520 ms at once (TRACE, 2026-12-02).
sql "CHECKPOINT" >/dev/null
if [ "${STATEMENTS:-0}" = 1 ]; then
	# the statements of each case, counted by pg_stat_statements: the stack
	# again with the module loaded (the data stays in $VAR)
	sql "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'" >/dev/null
	"$ROOT/scripts/run.sh" stop >/dev/null
	bench_start
	sql "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
	sql "ALTER SYSTEM SET pg_stat_statements.track_planning = on" >/dev/null
	sql "SELECT pg_reload_conf()" >/dev/null
fi
# PG_SETTINGS="commit_delay=100 commit_siblings=5": PostgreSQL's settings for
# the measured cases (ALTER SYSTEM and a reload; ones a reload can change)
for kv in ${PG_SETTINGS:-}; do
	sql "ALTER SYSTEM SET ${kv%%=*} = '${kv#*=}'" >/dev/null
done
if [ -n "${TRACE:-}" ]; then
	sql "ALTER SYSTEM SET log_checkpoints = on" >/dev/null
	sql "ALTER SYSTEM SET log_autovacuum_min_duration = 0" >/dev/null
	sql "ALTER SYSTEM SET log_lock_waits = on" >/dev/null
	sql "ALTER SYSTEM SET deadlock_timeout = '20ms'" >/dev/null
fi
[ -n "${PG_SETTINGS:-}${TRACE:-}" ] && sql "SELECT pg_reload_conf()" >/dev/null
COUNTS=$(sql "SELECT (SELECT count(*) FROM employees WHERE tenant_id = $TID) || ' employees, ' ||
                     (SELECT count(*) FROM requests WHERE tenant_id = $TID) || ' requests, ' ||
                     (SELECT count(*) FROM request_tasks WHERE tenant_id = $TID) || ' tasks, ' ||
                     (SELECT count(*) FROM request_events WHERE tenant_id = $TID) || ' history rows'")

python3 - "$VAR" "$PORT" "$N" "$SEED" "$COUNTS" "${STATEMENTS:-0}" "${as_user[*]}" "${RATE:-}" \
	"${TRACE:-}" <<'PY'
import http.client, json, os, statistics, subprocess, sys, threading, time
var, port, n, seed, counts = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
statements, as_user = sys.argv[6] == "1", sys.argv[7].split()
rates = [float(r) for r in sys.argv[8].split()]
trace = sys.argv[9]


def psql(q):
    return subprocess.run(as_user + ["psql", "-X", "-q", "-tA", "-F", "\t", "-h", var + "/pg/sock",
                                     "-U", "cabinet", "-d", "cabinet", "-c", q],
                          check=True, capture_output=True, text=True).stdout


def statements_of(name, count):
    """With STATEMENTS=1: the case's statements per request (the service's
    background tasks included), the most frequent first."""
    if not statements:
        return
    rows = [l.split("\t") for l in psql(
        "SELECT calls, round((total_exec_time + total_plan_time)::numeric, 1), "
        "round(total_plan_time::numeric, 1), regexp_replace(left(query, 110), '\\s+', ' ', 'g') "
        "FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = "
        "'cabinet') AND query NOT LIKE '%pg_stat_statements%' ORDER BY calls DESC, "
        "total_exec_time DESC").splitlines() if l]
    calls = sum(int(r[0]) for r in rows)
    ms = sum(float(r[1]) for r in rows)
    print("  %s: %.1f statements and %.2f ms in PostgreSQL per request (%d requests)"
          % (name, calls / count, ms / count, count))
    for r in rows[:int(__import__("os").environ.get("STATEMENTS_TOP", "40"))]:
        print("    %6.2f/req %7.3f ms/call (plan %6.3f)  %s" % (int(r[0]) / count,
              float(r[1]) / max(1, int(r[0])), float(r[2]) / max(1, int(r[0])), r[3]))
    psql("SELECT pg_stat_statements_reset()")
CLK = os.sysconf("SC_CLK_TCK")


def cpu_ticks():
    """CPU ticks (user + system) of each of the stack's processes with all
    their descendants (the live ones', and the reaped ones' through their
    parent's cutime/cstime), by the root's name."""
    roots = {}
    for name, f in (("nginx", "/run/nginx.pid.nginx"), ("cabinet-api", "/run/cabinet-api.pid"),
                    ("cabinetd", "/run/cabinetd.pid"), ("postgres", "/pg/data/postmaster.pid")):
        try:
            roots[int(open(var + f).readline())] = name
        except (OSError, ValueError):
            pass
    stats = {}
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                f = open("/proc/%s/stat" % p).read()
            except OSError:
                continue
            v = f[f.rindex(")") + 2:].split()  # from field 3, the state
            stats[int(p)] = (int(v[1]), int(v[11]) + int(v[12]), int(v[13]) + int(v[14]))
    out = dict.fromkeys(list(roots.values()) + ["pg-background"], 0)
    for pid, (ppid, own, children) in stats.items():
        q, seen = pid, 0
        while q not in roots and q in stats and seen < 64:
            q, seen = stats[q][0], seen + 1
        if q not in roots:
            continue
        name = roots[q]
        if name == "postgres" and pid == q:
            name = "pg-background"  # the postmaster, and its reaped autovacuum workers
        elif name == "postgres":
            # the client backends ("postgres: cabinet cabinet [local] ...")
            # apart from autovacuum, the WAL writer, the checkpointer
            try:
                cmd = open("/proc/%d/cmdline" % pid, "rb").read()
            except OSError:
                cmd = b""
            if b"[local]" not in cmd:
                name = "pg-background"
        out[name] += own + (children if pid == q else 0)
    return out


def cpu_report(name, before, after, count, load0):
    ms = {k: (after.get(k, 0) - before.get(k, 0)) * 1000.0 / CLK / count for k in after}
    print("  %s CPU ms per request: %s; total %.2f (load %.1f -> %.1f)"
          % (name, ", ".join("%s %.2f" % (k, ms[k]) for k in sorted(ms)), sum(ms.values()),
             load0, os.getloadavg()[0]))
    return sum(ms.values())


tokens = json.load(open(var + "/tokens.json"))
HOST = "bench.localhost:%d" % port


def client(token):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    h = {"Host": HOST, "Content-Type": "application/json"}
    if token:
        h["Authorization"] = "Bearer " + token
    return c, h


class Sampler:
    """With TRACE: what PostgreSQL's backends are doing, every few ms, through one
    psql fed a query at a time (each its own snapshot of pg_stat_activity): the
    active client backends and the background processes that are not idle."""
    QUERY = ("SELECT round(extract(epoch FROM clock_timestamp())::numeric, 4), pid, "
             "backend_type, coalesce(wait_event_type, '-') || ':' || coalesce(wait_event, '-'), "
             "regexp_replace(left(query, 60), '\\s+', ' ', 'g') FROM pg_stat_activity WHERE "
             "pid <> pg_backend_pid() AND ((backend_type = 'client backend' AND state = 'active') "
             "OR (backend_type <> 'client backend' AND wait_event_type IS DISTINCT FROM "
             "'Activity'));\n")

    def __init__(self, path):
        self.out = open(path, "w")
        self.p = subprocess.Popen(as_user + ["psql", "-X", "-q", "-tA", "-F", "\t", "-h",
                                             var + "/pg/sock", "-U", "cabinet", "-d", "cabinet"],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.stop = threading.Event()
        self.reader = threading.Thread(target=lambda: [self.out.write(l) for l in self.p.stdout])
        self.writer = threading.Thread(target=self.feed)
        self.p.stdin.write("SELECT 'ready';\n")
        self.p.stdin.flush()
        self.p.stdout.readline()  # started and connected: the case may begin
        self.reader.start()
        self.writer.start()

    def feed(self):
        while not self.stop.is_set():
            self.p.stdin.write(self.QUERY)
            self.p.stdin.flush()
            time.sleep(0.004)
        self.p.stdin.close()

    def close(self):
        self.stop.set()
        self.writer.join()
        self.p.wait()
        self.reader.join()
        self.out.close()


def trace_report(name, records, t0):
    """With TRACE: the case's requests to a file, and its slowest 1 % (at least 5)
    printed with when they started and which of the person's requests they were."""
    key = name.replace(" ", "_").replace("/", "")
    with open(os.path.join(trace, key + ".requests.tsv"), "w") as f:
        for start, ms, k, i in sorted(records):
            f.write("%.4f\t%.2f\t%d\t%d\n" % (start, ms, k, i))
    slow = sorted(records, key=lambda r: -r[1])[:max(5, len(records) // 100)]
    print("  %s slowest: %s" % (name, ", ".join("%.0f ms (at +%.2f s, #%d of person %d)"
                                                 % (ms, start - t0, i, k)
                                                 for start, ms, k, i in slow)))


def run(name, tokens_, make, rate=None, first=0, count=None):
    """Each token's thread sends n requests one after another (make(i, k) ->
    method, path, body, wanted status or (status, the answer's "state"));
    latencies of all threads together. A wrong status or state stops the
    benchmark: it would be measuring another path than the one it names.
    With a rate (requests a second, all threads together) request i of
    thread k is due at start + (i * threads + k) / rate and its latency
    counts from then; first is the index of each thread's first request
    (a paced run after another takes fresh days and tasks); count replaces n."""
    count = count or n
    lat, errors, records = [], [], []
    lock = threading.Lock()
    start = [0.0]

    def worker(k, token):
        c, h = client(token)
        mine = []
        for i in range(first, first + count):
            method, path, body, want = make(i, k, c, h)
            t0 = time.perf_counter()
            if rate:
                due = start[0] + ((i - first) * len(tokens_) + k) / rate
                if due > t0:
                    time.sleep(due - t0)
                t0 = due
            wall = time.time() - (time.perf_counter() - t0)
            c.request(method, path, body=json.dumps(body) if body is not None else None, headers=h)
            r = c.getresponse()
            data = r.read()
            mine.append(time.perf_counter() - t0)
            if trace:
                records.append((wall, mine[-1] * 1000, k, i))
            status, state = want if isinstance(want, tuple) else (want, None)
            if r.status != status or (state and json.loads(data).get("state") != state):
                with lock:
                    errors.append("%s %s -> %d %s (wanted %s)" % (method, path, r.status,
                                                                 data[:200], want))
        with lock:
            lat.extend(mine)

    threads = [threading.Thread(target=worker, args=(k, t)) for k, t in enumerate(tokens_)]
    if statements:
        psql("SELECT pg_stat_statements_reset()")
    sampler = Sampler(os.path.join(trace, name.replace(" ", "_").replace("/", "") +
                                   ".activity.tsv")) if trace else None
    load0, cpu0 = os.getloadavg()[0], cpu_ticks()
    wall0 = time.time()
    t0 = time.perf_counter()
    start[0] = t0 + 0.05  # the threads' first due time, once all are started
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    cpu = cpu_report(name, cpu0, cpu_ticks(), count * len(tokens_), load0)
    if sampler:
        sampler.close()
        trace_report(name, records, wall0)
    if errors:
        sys.exit("%s: %d errors, first: %s" % (name, len(errors), errors[0]))
    statements_of(name, len(lat))
    lat.sort()
    p50 = statistics.median(lat) * 1000
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000
    return p50, p99, len(lat) / wall, cpu


def tasks_of(token):
    c, h = client(token)
    c.request("GET", "/api/tasks?limit=200", headers=h)
    r = c.getresponse()
    items = json.loads(r.read())["items"]
    return [t["id"] for t in items if t["step"] == "approval"]


heads, staff = tokens["heads"], tokens["staff"]
a = run("health", heads, lambda i, k, c, h: ("GET", "/api/health", None, 200))
day = [0]


def submit(i, k, c, h):
    d = 2000 + i  # a day of its own for every request of a person: no overlap
    return ("POST", "/api/requests", {"type": "absence", "reason": "day_off",
                                      "date_from": "%04d-%02d-%02d" % (2030 + d // 336, 1 + d % 336 // 28, 1 + d % 28),
                                      "date_to": "%04d-%02d-%02d" % (2030 + d // 336, 1 + d % 336 // 28, 1 + d % 28)},
            (201, "awaiting_approval"))  # the head's approval task, not skipped


# the warm-up, not counted: WARMUP requests a person of each kind (2 by default).
# cabinetd's connections to PostgreSQL are opened at its start and kept; the first
# time each runs a statement it loads the tables' catalogs, its triggers' and
# foreign keys' plans, and plans it (a submission's first run on a connection took
# 0.6-0.8 s at load 10, the next few 0.1-0.3 s). Measured cold, the first round of
# 16 people waited behind these four and made the p99 of 480 requests. The
# warm-up's own figures are printed: what the first people after a restart wait.
warm = int(os.environ.get("WARMUP", "2"))
cold = []
if warm:
    cold.append(("(b) submit", run("warm-up submit", staff, submit, first=-warm, count=warm)))
    wq = [tasks_of(t) for t in heads]
    cold.append(("(c) approve", run("warm-up approve", heads,
                                     lambda i, k, c, h: ("POST", "/api/tasks/%d/approve"
                                                         % wq[k][-1 - i], {}, (200, "approved")),
                                     count=warm)))
    cold.append(("(d) task list", run("warm-up tasks", heads,
                                       lambda i, k, c, h: ("GET", "/api/tasks", None, 200),
                                       count=warm)))
b = run("submit", staff, submit)
queues = [tasks_of(t) for t in heads]
short = min(len(q) for q in queues)
if short < n:
    sys.exit("a head has only %d approval tasks for %d approvals: seed more requests" % (short, n))
c_ = run("approve", heads, lambda i, k, c, h: ("POST", "/api/tasks/%d/approve" % queues[k][i], {},
                                       (200, "approved")))  # the performer's task opened
d = run("tasks", heads, lambda i, k, c, h: ("GET", "/api/tasks", None, 200))
paced = []
for j, r in enumerate(rates):
    # each paced pass files on days and approves tasks the earlier passes
    # left alone: request i of a person is its own day, task i its own task
    f = n * (j + 1)
    if short < f + n:
        sys.exit("a head has only %d approval tasks for %d paced approvals: seed more requests"
                 % (short, f + n))
    paced.append((r, run("submit at %g/s" % r, staff, submit, r, f),
                  run("approve at %g/s" % r, heads,
                      lambda i, k, c, h: ("POST", "/api/tasks/%d/approve" % queues[k][i], {},
                                          (200, "approved")), r, f),
                  run("tasks at %g/s" % r, heads, lambda i, k, c, h: ("GET", "/api/tasks", None, 200),
                      r, f)))
print("bench_requests: %s; %d users at once, %d requests each" % (counts, len(heads), n))
for label, (p50, p99, rps, cpu) in (("(a) /api/health", a), ("(b) POST /api/requests", b),
                               ("(c) POST /api/tasks/{id}/approve", c_), ("(d) GET /api/tasks", d)):
    print("  %-36s p50 %6.1f ms  p99 %6.1f ms  %6.0f rps  p99/(a) %5.1f  CPU %5.2f ms/req"
          % (label, p50, p99, rps, p99 / a[1], cpu))
for r, pb, pc, pd in paced:
    print("  at %g requests/s offered (%d people in turn):" % (r, len(heads)))
    for label, (p50, p99, rps, cpu) in (("(b) submit", pb), ("(c) approve", pc), ("(d) task list", pd)):
        print("    %-34s p50 %6.1f ms  p99 %6.1f ms  %6.0f rps  CPU %5.2f ms/req"
              % (label, p50, p99, rps, cpu))
for label, (p50, p99, rps, cpu) in cold:
    print("  warm-up, %d each, not counted: %-16s p50 %6.1f ms  max %6.1f ms  CPU %5.2f ms/req"
          % (warm, label, p50, p99, cpu))
print("  targets: (b), (c) p99 < 20 ms; (d) p99 < 50 ms")
PY
