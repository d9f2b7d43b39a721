"""A whole cabinet stack for one integration test: PostgreSQL, cabinetd, both
responders and nginx, started by scripts/run.sh in a private directory on a
free port, exactly as a developer starts it.

    with Stack("backbone") as s:
        status, headers, body = s.http("GET", "/api/health")
"""
import glob
import http.client
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import time
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("CABINET_BUILD_DIR", os.path.join(ROOT, "build"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body.decode())

    @property
    def text(self):
        return self.body.decode()

    def __repr__(self):
        return "<Response %d %r>" % (self.status, self.body[:200])


class Stack:
    """durable=False (the default for tests) starts PostgreSQL without fsync
    (CABINET_PG_NOSYNC=1): fast, and a test stack is thrown away. A stack that
    people run is durable; durable=True tests exactly that."""

    def __init__(self, name, conf_extra="", env=None, durable=False):
        self.name = name
        self.var = tempfile.mkdtemp(prefix="cab-%s-" % name[:8], dir="/tmp")
        os.chmod(self.var, 0o755)
        self.port = free_port()
        self.conf = os.path.join(self.var, "cabinet.conf")
        self.env = dict(os.environ)
        self.env.update({
            "CABINET_VAR": self.var,
            "CABINET_HTTP_PORT": str(self.port),
            "CABINET_BUILD_DIR": BUILD,
            "CABINET_SKIP_BUILD": "1",
            "CABINET_NO_DEMO": "1",
            "CABINET_CONF_EXTRA": "debug_ops = on\n" + conf_extra,
            # the per-address limits of requests without a session apply
            # (each host's requests come from an address of their own, see
            # source_for); the per-session ones do not: a test's client is a
            # robot far faster than any person. test_limits.py and the
            # browser tests run with every limit (env={"CABINET_NGINX_LIMITS": "on"}).
            "CABINET_NGINX_LIMITS": "anonymous",
        })
        if durable:
            self.env.pop("CABINET_PG_NOSYNC", None)
        else:
            self.env["CABINET_PG_NOSYNC"] = "1"
        # sanitizer reports of the daemons go to files that cleanup() checks
        for name in ("ASAN_OPTIONS", "UBSAN_OPTIONS"):
            opts = self.env.get(name, "")
            self.env[name] = (opts + ":" if opts else "") + "log_path=%s/log/%s" % (
                self.var, name.split("_")[0].lower())
        self.env.update(env or {})

    # ------------------------------------------------------------ lifecycle

    def run_sh(self, *args, check=True):
        p = subprocess.run([os.path.join(ROOT, "scripts", "run.sh"), *args], env=self.env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if check and p.returncode != 0:
            raise AssertionError("run.sh %s failed:\n%s\n%s" % (" ".join(args), p.stdout, self.logs()))
        return p

    def start(self):
        self.run_sh("start")
        return self

    def stop(self):
        self.run_sh("stop", check=False)

    def sanitizer_reports(self):
        reports = []
        for path in glob.glob(os.path.join(self.var, "log", "asan.*")) + \
                glob.glob(os.path.join(self.var, "log", "ubsan.*")):
            with open(path, errors="replace") as f:
                reports.append("==> %s <==\n%s" % (path, f.read()[:4000]))
        return reports

    def cleanup(self):
        self.stop()
        reports = self.sanitizer_reports()
        if os.environ.get("CABINET_KEEP_VAR") != "1" and not reports:
            shutil.rmtree(self.var, ignore_errors=True)
        if reports:
            raise AssertionError("sanitizer reports in %s:\n%s" % (self.var, "\n".join(reports)))

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.cleanup()
            raise

    def __exit__(self, *exc):
        self.cleanup()

    def logs(self):
        out = []
        logdir = os.path.join(self.var, "log")
        for name in sorted(os.listdir(logdir)) if os.path.isdir(logdir) else []:
            with open(os.path.join(logdir, name), errors="replace") as f:
                out.append("==> %s <==\n%s" % (name, f.read()[-3000:]))
        return "\n".join(out)

    def pid(self, name):
        with open(os.path.join(self.var, "run", name + ".pid")) as f:
            return int(f.read().strip())

    def alive(self, name):
        try:
            os.kill(self.pid(name), 0)
            return True
        except (OSError, ValueError):
            return False

    def kill(self, name, sig=signal.SIGKILL):
        os.kill(self.pid(name), sig)

    def reload(self, timeout=30):
        """SIGHUP to cabinetd, then wait for its logged outcome (event=reloaded
        or event=reload_failed): under load a fixed sleep was too short."""
        path = os.path.join(self.var, "log", "cabinetd.log")

        def outcomes():
            with open(path, errors="replace") as f:
                return len(re.findall(r"event=(?:reloaded|reload_failed)\b", f.read()))

        before = outcomes()
        self.kill("cabinetd", signal.SIGHUP)
        deadline = time.time() + timeout
        while outcomes() == before:
            if time.time() > deadline:
                raise AssertionError("cabinetd did not log the reload's outcome in %d s" % timeout)
            time.sleep(0.05)

    def wait_dead(self, name, timeout=10):
        pid = self.pid(name)
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                # reap if it is our child (it is not: run.sh started it), else probe
                os.kill(pid, 0)
            except OSError:
                return True
            with open("/proc/%d/stat" % pid) as f:
                if f.read().split(")")[-1].split()[0] == "Z":
                    return True
            time.sleep(0.05)
        return False

    def pg_ctl(self, action, mode="fast"):
        """pg_ctl start|stop|restart; mode "immediate" stops without a
        checkpoint, as a crash would."""
        bindir = sorted(d for d in os.listdir("/usr/lib/postgresql"))[-1]
        cmd = ["/usr/lib/postgresql/%s/bin/pg_ctl" % bindir, "-D", os.path.join(self.var, "pg", "data"),
               "-w", "-m", mode, action]
        if action == "start":
            cmd += ["-l", os.path.join(self.var, "log", "postgresql.log")]
        if os.getuid() == 0:
            cmd = ["setpriv", "--reuid=cabinet", "--regid=cabinet", "--init-groups", "--"] + cmd
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)

    # A write straight into the database goes behind the core's caches: the
    # sessions (core/sesscache.h) and the payslips (core/paycache.h), which
    # any table's change can alter. psql() drops both after a write, as the
    # core does after its own changes, so a test sees the change at once.
    WRITES = re.compile(r"\b(insert|update|delete|truncate)\b", re.I)

    def flush_session_cache(self):
        """debug.session_cache_flush over the core socket; False when the
        core is not listening."""
        try:
            c = socket.socket(socket.AF_UNIX)
            c.settimeout(30)
            c.connect(self.core_socket())
        except OSError:
            return False
        try:
            c.sendall(frame(1, 1, {"id": 1, "op": "debug.session_cache_flush", "args": {}, "auth": {}}))
            f = read_frame(c)
            return f is not None and json.loads(f["payload"]).get("status") == 200
        finally:
            c.close()

    def psql(self, sql, db="cabinet", user="cabinet", flush=True):
        """Runs sql as the tables' owner; flush=False leaves the core's
        caches as they are (to show what a cache serves)."""
        cmd = ["psql", "-X", "-q", "-tA", "-v", "ON_ERROR_STOP=1", "-h", os.path.join(self.var, "pg", "sock"),
               "-U", user, "-d", db, "-c", sql]
        if os.getuid() == 0:
            cmd = ["setpriv", "--reuid=cabinet", "--regid=cabinet", "--init-groups", "--"] + cmd
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if p.returncode != 0:
            raise AssertionError("psql failed: %s" % p.stderr)
        if flush and self.WRITES.search(sql):
            self.flush_session_cache()
        return p.stdout.strip()

    def psql_session(self):
        """A psql reading statements from a pipe, as the tables' owner: to
        hold a lock while requests run."""
        cmd = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", os.path.join(self.var, "pg", "sock"),
               "-U", "cabinet", "-d", "cabinet"]
        if os.getuid() == 0:
            cmd = ["setpriv", "--reuid=cabinet", "--regid=cabinet", "--init-groups", "--"] + cmd
        return subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)

    # ----------------------------------------------------------------- http

    def url(self, path, host=None):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    @staticmethod
    def source_for(host):
        """The loopback address requests for this host come from: each
        organization's people are other visitors to nginx's per-address
        limits, as they are in life (and in ../shared/checks)."""
        h = zlib.crc32(host.encode())
        return "127.%d.%d.%d" % (1 + h % 250, (h >> 8) % 256, 2 + (h >> 16) % 250)

    def http(self, method, path, body=None, headers=None, host="localhost", timeout=30, raw=None,
             source=None):
        hdrs = {"Host": "%s:%d" % (host, self.port)}
        data = None
        if raw is not None:
            data = raw
            hdrs["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
        hdrs.update(headers or {})
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout,
                                          source_address=(source or self.source_for(host), 0))
        try:
            conn.request(method, path, body=data, headers=hdrs)
            r = conn.getresponse()
            return Response(r.status, r.headers, r.read())
        finally:
            conn.close()

    # ------------------------------------------------------------ the core

    def ctl(self, *args, check=False, timeout=60):
        return subprocess.run([os.path.join(BUILD, "core", "cabinetctl"), "-c", self.conf, *args],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=timeout,
                              check=check)

    def core_socket(self):
        return os.path.join(self.var, "run", "core.sock")


MAGIC = 0x43414231


def frame(ftype, fid, payload, version=1, magic=MAGIC, length=None):
    if isinstance(payload, (dict, list)):
        payload = json.dumps(payload).encode()
    return struct.pack(">IHHII", magic, version, ftype, fid, len(payload) if length is None else length) + payload


def read_frame(sock):
    head = b""
    while len(head) < 16:
        chunk = sock.recv(16 - len(head))
        if not chunk:
            return None
        head += chunk
    magic, version, ftype, fid, length = struct.unpack(">IHHII", head)
    body = b""
    while len(body) < length:
        chunk = sock.recv(length - len(body))
        if not chunk:
            return None
        body += chunk
    return {"version": version, "type": ftype, "id": fid, "payload": body}


# ------------------------------------------------------------------ fixtures
#
# Tenants, users and sessions written straight into the database (as the
# tables' owner), for tests of features that need a signed-in user but are
# not about signing in. The session token is random; only its SHA-256 is
# stored, exactly as the core stores it.

import hashlib  # noqa: E402
import secrets  # noqa: E402


def sql_quote(v):
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    return "'" + str(v).replace("'", "''") + "'"


class Client:
    """HTTP as a signed-in user of one tenant (cookie session + CSRF)."""

    def __init__(self, stack, subdomain, token=None, csrf=None):
        self.s = stack
        self.subdomain = subdomain
        self.token = token
        self.csrf = csrf

    @property
    def host(self):
        return "%s.localhost" % self.subdomain

    def request(self, method, path, body=None, headers=None, csrf=True, raw=None, source=None):
        h = dict(headers or {})
        cookies = []
        if self.token:
            cookies.append("cabinet_session=" + self.token)
        if self.csrf:
            cookies.append("cabinet_csrf=" + self.csrf)
            if csrf and method not in ("GET", "HEAD"):
                h["X-CSRF-Token"] = self.csrf
        if cookies:
            h["Cookie"] = "; ".join(cookies)
        return self.s.http(method, path, body=body, headers=h, host=self.host, raw=raw, source=source)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body if body is not None else {}, **kw)

    def put(self, path, body=None, **kw):
        return self.request("PUT", path, body=body if body is not None else {}, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)


def _fixture_sql(stack, sql):
    return stack.psql(sql)


def add_tenant(stack, subdomain, name=None, status="ready"):
    """A tenant row; returns its id."""
    return int(_fixture_sql(stack, "INSERT INTO tenants (subdomain, name, status, ready_at) VALUES (%s, %s, %s, now()) "
                                   "RETURNING id" % (sql_quote(subdomain), sql_quote(name or subdomain),
                                                     sql_quote(status))))


def add_employee(stack, tenant_id, full_name, **fields):
    """An employee row; fields are column values; returns its id."""
    cols = ["tenant_id", "full_name"] + list(fields)
    vals = [tenant_id, full_name] + list(fields.values())
    return int(_fixture_sql(stack, "INSERT INTO employees (%s) VALUES (%s) RETURNING id" % (
        ", ".join(cols), ", ".join(sql_quote(v) for v in vals))))


FIVE_DAYS = "[[800,0],[800,0],[800,0],[800,0],[800,0],[0,0],[0,0]]"


def add_five_day_schedule(stack, tenant_id, name="Пятидневка"):
    """A five-day week of 8 hours on the tenant's calendar; returns its id."""
    return int(_fixture_sql(stack, "INSERT INTO schedules (tenant_id, name, kind, holidays, pattern) "
                                   "VALUES (%d, %s, 'week', 'calendar', %s) RETURNING id"
                            % (tenant_id, sql_quote(name), sql_quote(FIVE_DAYS))))


def add_paid_employee(stack, tenant_id, full_name, schedule_id, hired, rate="60000.00", pay_by="days",
                      since=None, **fields):
    """An employee hired on `hired` with pay terms (rate in roubles, by days or
    hours) and the schedule from `since` (default: the hire date); fields are
    further employee columns. Returns the id."""
    since = since or hired
    eid = add_employee(stack, tenant_id, full_name, hired=hired, **fields)
    _fixture_sql(stack, "INSERT INTO employee_pay (tenant_id, employee_id, date_from, rate, pay_by) "
                        "VALUES (%d, %d, %s, %s, %s)" % (tenant_id, eid, sql_quote(since), rate, sql_quote(pay_by)))
    _fixture_sql(stack, "INSERT INTO schedule_assignments (tenant_id, employee_id, schedule_id, date_from) "
                        "VALUES (%d, %d, %d, %s)" % (tenant_id, eid, schedule_id, sql_quote(since)))
    return eid


def add_user(stack, tenant_id, full_name, email=None, phone=None, admin=False, employee_id=None,
             status="active"):
    """A cabinet (user) row, optionally an administrator; returns its id."""
    email = email or "%s@example.ru" % secrets.token_hex(6)
    uid = int(_fixture_sql(stack, "INSERT INTO users (tenant_id, full_name, email, phone, employee_id, status) "
                                  "VALUES (%s, %s, %s, %s, %s, %s) RETURNING id" % (
                                      tenant_id, sql_quote(full_name), sql_quote(email), sql_quote(phone),
                                      sql_quote(employee_id), sql_quote(status))))
    if admin:
        _fixture_sql(stack, "INSERT INTO user_roles (tenant_id, user_id, role) VALUES (%d, %d, 'admin')"
                     % (tenant_id, uid))
    return uid


def add_session(stack, tenant_id, user_id):
    """A session of the user; returns (token, csrf) as the browser holds them."""
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(24)
    digest = hashlib.sha256(token.encode()).hexdigest()
    _fixture_sql(stack, "INSERT INTO sessions (tenant_id, token_hash, user_id, csrf, expires_at) "
                        "VALUES (%d, '\\x%s', %d, %s, now() + interval '1 day')"
                 % (tenant_id, digest, user_id, sql_quote(csrf)))
    return token, csrf


def tenant_with_admin(stack, subdomain, name=None):
    """A ready tenant with a signed-in administrator: (tenant_id, user_id, Client)."""
    tid = add_tenant(stack, subdomain, name)
    uid = add_user(stack, tid, "Администратор %s" % subdomain, admin=True)
    token, csrf = add_session(stack, tid, uid)
    return tid, uid, Client(stack, subdomain, token, csrf)
