#!/usr/bin/env bash
# bench_notify.sh - how soon an open page hears of a new notification
# (issue 12, item 8; goal: under 2 s), through the whole stack: an employee
# files a request (POST /api/requests -> cabinet-api -> cabinetd ->
# PostgreSQL, commit), cabinetd's task notify.deliver publishes to nginx's
# nchan over its Unix socket, nginx writes the event to the manager's open
# event stream (GET /api/notifications/events, as the page's EventSource).
#
# While SUBSCRIBERS other people's streams stay open (idle pages; nginx holds
# them, not the responders' 4 processes), USERS employees of USERS
# departments each file N absence requests one after another, at once; for
# each request:
#   (a) the POST's answer                     the reference: the request itself
#   (b) the event at the manager's page       from sending the POST to the event
# p50 and p99 of each, and (b) - (a): the push after the answer. Nothing is
# asserted: the numbers are printed.
#
#   tests/bench/bench_notify.sh [N]
# Environment: CABINET_BUILD_DIR (default ./build), USERS (default 16),
# SUBSCRIBERS (default 500), EMPLOYEES (default 2000).
set -euo pipefail
# shellcheck source=stack.sh
. "$(dirname "${BASH_SOURCE[0]}")/stack.sh"
N=${1:-50}
USERS=${USERS:-16}
SUBSCRIBERS=${SUBSCRIBERS:-500}
EMPLOYEES=${EMPLOYEES:-2000}
# the per-session limits of nginx would answer 429 to a benchmark's robots
export CABINET_NGINX_LIMITS=off
bench_prepare cab-bench-notify
bench_start
sql() { bench_psql -c "$1"; }

TID=$(sql "INSERT INTO tenants (subdomain, name, status, ready_at) VALUES ('bench', 'ООО Бенч', 'ready', now()) RETURNING id")
bench_psql -v tid="$TID" -v employees="$EMPLOYEES" -v deps="$USERS" <<'SQL' >/dev/null
\set ON_ERROR_STOP 1
BEGIN;
INSERT INTO organizations (tenant_id, name) VALUES (:tid, 'ООО «Бенч»');
INSERT INTO departments (tenant_id, name, organization_id)
    SELECT :tid, 'Отдел ' || g, (SELECT id FROM organizations WHERE tenant_id = :tid)
    FROM generate_series(1, :deps) g;
CREATE TEMP TABLE deps AS
    SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM departments WHERE tenant_id = :tid;
-- with an email each: only a published employee (one with a contact,
-- publication.h) approves, and the heads must, or no task would reach them
INSERT INTO employees (tenant_id, full_name, personnel_number, organization_id, department_id, hired,
                       email)
    SELECT :tid, 'Сотрудник ' || g, lpad(g::text, 6, '0'),
           (SELECT id FROM organizations WHERE tenant_id = :tid),
           (SELECT id FROM deps WHERE n = g % :deps), '2020-01-01', 'e' || g || '@bench.example'
    FROM generate_series(0, :employees - 1) g;
UPDATE departments d SET head_id = (SELECT min(e.id) FROM employees e WHERE e.tenant_id = :tid
                                    AND e.department_id = d.id) WHERE d.tenant_id = :tid;
INSERT INTO users (tenant_id, full_name, employee_id, email, status)
    SELECT :tid, full_name, id, 'e' || id || '@bench.example', 'active' FROM employees
    WHERE tenant_id = :tid;
INSERT INTO routing_performers (tenant_id, role, employee_id)
    SELECT :tid, 'absence', max(id) FROM employees WHERE tenant_id = :tid;
COMMIT;
ANALYZE;
SQL

# sessions: each department's head (the listening manager) and its second
# employee (who files), and SUBSCRIBERS other employees (idle pages)
python3 - "$VAR" "$TID" "$USERS" "$SUBSCRIBERS" <<'PY' >"$VAR/sessions.sql"
import hashlib, json, secrets, sys
var, tid, users, subscribers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
tokens = {"heads": [], "staff": [], "idle": []}


def session(where, offset):
    t = secrets.token_urlsafe(32)
    print("INSERT INTO sessions (tenant_id, token_hash, user_id, csrf, expires_at) SELECT %d, '\\x%s', "
          "u.id, 'x', now() + interval '1 day' FROM users u JOIN employees e ON e.tenant_id = u.tenant_id "
          "AND e.id = u.employee_id JOIN departments d ON d.tenant_id = e.tenant_id AND d.id = "
          "e.department_id WHERE u.tenant_id = %d AND %s ORDER BY d.id, e.id OFFSET %d LIMIT 1;"
          % (tid, hashlib.sha256(t.encode()).hexdigest(), tid, where, offset))
    return t


for i in range(users):
    tokens["heads"].append(session("d.head_id = e.id", i))
    tokens["staff"].append(session("e.id = (SELECT min(x.id) FROM employees x WHERE x.tenant_id = e.tenant_id "
                                   "AND x.department_id = d.id AND x.id <> d.head_id)", i))
for i in range(subscribers):
    tokens["idle"].append(session("e.id > (SELECT min(x.id) + 1 FROM employees x WHERE x.tenant_id = "
                                  "e.tenant_id AND x.department_id = d.id AND x.id <> d.head_id)", i))
json.dump(tokens, open(var + "/tokens.json", "w"))
PY
bench_psql -f "$VAR/sessions.sql" >/dev/null

python3 - "$VAR" "$PORT" "$N" <<'PY'
import http.client, json, resource, socket, statistics, sys, threading, time
var, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
tokens = json.load(open(var + "/tokens.json"))
HOST = "bench.localhost:%d" % port
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


class Stream:
    """A page's EventSource: the stream's events, each with the time it came."""

    def __init__(self, token):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=60)
        self.sock.sendall(("GET /api/notifications/events HTTP/1.1\r\nHost: %s\r\nAccept: text/event-stream\r\n"
                           "Cookie: cabinet_session=%s\r\n\r\n" % (HOST, token)).encode())
        self.f = self.sock.makefile("rb")
        status = self.f.readline()
        if b" 200 " not in status:
            sys.exit("event stream refused: %r" % status)
        while self.f.readline() not in (b"\r\n", b""):
            pass
        self.events = []
        self.cond = threading.Condition()

    def read(self):
        for line in self.f:
            if line.startswith(b"data:"):
                with self.cond:
                    self.events.append(time.perf_counter())
                    self.cond.notify_all()

    def wait(self, count, timeout=30):
        """The time of the count-th event, or None after timeout seconds."""
        with self.cond:
            if not self.cond.wait_for(lambda: len(self.events) >= count, timeout):
                return None
            return self.events[count - 1]


t0 = time.perf_counter()
idle = [Stream(t) for t in tokens["idle"]]
opened = time.perf_counter() - t0
heads = [Stream(t) for t in tokens["heads"]]
for s in heads:
    threading.Thread(target=s.read, daemon=True).start()
answers, events, after = [], [], []
errors = []
lock = threading.Lock()


def worker(k):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    h = {"Host": HOST, "Content-Type": "application/json", "Authorization": "Bearer " + tokens["staff"][k]}
    mine = []
    for i in range(n):
        day = "2031-%02d-%02d" % (1 + i // 28 % 12, 1 + i % 28)
        body = json.dumps({"type": "absence", "date_from": day, "date_to": day, "reason": "day_off",
                           "comment": "bench %d" % i})
        start = time.perf_counter()
        c.request("POST", "/api/requests", body=body, headers=h)
        r = c.getresponse()
        data = r.read()
        answered = time.perf_counter()
        if r.status != 201 or json.loads(data).get("state") != "awaiting_approval":
            with lock:  # no approval task: nothing for the manager to hear
                errors.append("POST -> %d %s (wanted 201, awaiting_approval)" % (r.status, data[:200]))
            return
        heard = heads[k].wait(i + 1)
        if heard is None:
            with lock:
                errors.append("the manager's page heard no event within 30 s")
            return
        mine.append((answered - start, heard - start, heard - answered))
    with lock:
        for a, e, d in mine:
            answers.append(a)
            events.append(e)
            after.append(d)


threads = [threading.Thread(target=worker, args=(k,)) for k in range(len(heads))]
for t in threads:
    t.start()
for t in threads:
    t.join()
if errors:
    sys.exit("%d errors, first: %s" % (len(errors), errors[0]))


def p(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * q))] * 1000


print("%d idle streams open (in %.1f s), %d managers listening, %d employees filing %d requests each"
      % (len(idle), opened, len(heads), len(heads), n))
print("(a) POST /api/requests answered   p50 %7.1f ms  p99 %7.1f ms" % (p(answers, .5), p(answers, .99)))
print("(b) event at the manager's page   p50 %7.1f ms  p99 %7.1f ms  max %7.1f ms   (goal: under 2000 ms)"
      % (p(events, .5), p(events, .99), max(events) * 1000))
print("    (b) - (a), the push itself    p50 %7.1f ms  p99 %7.1f ms" % (p(after, .5), p(after, .99)))
print("    (b) / (a) at p50: %.2f" % (statistics.median(events) / statistics.median(answers)))
PY
