"""The edge: nginx's request limits (conf/nginx-site.conf.in) and the client
address behind a trusted proxy (trusted_proxies, real_ip).

Every test speaks from its own loopback address (127.0.x.y), as separate
visitors would, so the per-address limits of one test do not touch another."""
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import unittest
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(__file__))
from stack import add_session, add_user, tenant_with_admin, Client, Stack  # noqa: E402
from test_notify import EventStream  # noqa: E402

PROXY = "127.0.0.5"


class Limits(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # the core's own per-address sign-in throttle out of the way: these
        # tests are about nginx's
        cls.s = Stack("limits", conf_extra="trusted_proxies = %s\nlogin_ip_max_failures = 1000\n"
                      % PROXY, env={"CABINET_NGINX_LIMITS": "on"}).__enter__()
        cls.tid, cls.admin_id, cls.admin = tenant_with_admin(cls.s, "limits")

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def call(self, path, source, method="GET", token=None, host="limits.localhost", headers=None,
             body=None, timeout=5):
        """One request on a new connection from the source address: (status,
        headers, body, seconds)."""
        h = {"Host": "%s:%d" % (host, self.s.port)}
        if token:
            h["Cookie"] = "cabinet_session=" + token
        if body is not None:
            h["Content-Type"] = "application/json"
        h.update(headers or {})
        t0 = time.time()
        conn = http.client.HTTPConnection("127.0.0.1", self.s.port, timeout=timeout,
                                          source_address=(source, 0))
        try:
            conn.request(method, path, body=body, headers=h)
            r = conn.getresponse()
            return r.status, r.headers, r.read(), time.time() - t0
        finally:
            conn.close()

    def burst(self, count, fn):
        """count calls of fn(i), 8 at a time (fewer than the 10 at once a
        client may have): (results, seconds), whatever the machine's load."""
        t0 = time.time()
        with ThreadPoolExecutor(8) as pool:
            got = list(pool.map(fn, range(count)))
        return got, time.time() - t0

    def session(self, name):
        uid = add_user(self.s, self.tid, name)
        return add_session(self.s, self.tid, uid)[0]

    def wrk(self, seconds, connections, token=None, script=None, source_path="/api/health"):
        """(answers, 2xx answers) of a wrk run from 127.0.0.1 (wrk cannot
        choose its source address)."""
        cmd = ["wrk", "-t1", "-c%d" % connections, "-d%ds" % seconds,
               "-H", "Host: limits.localhost:%d" % self.s.port]
        if token:
            cmd += ["-H", "Cookie: cabinet_session=" + token]
        if script:
            path = os.path.join(self.s.var, "wrk.lua")
            with open(path, "w") as f:
                f.write(script)
            cmd += ["-s", path]
        out = subprocess.run(cmd + ["http://127.0.0.1:%d%s" % (self.s.port, source_path)],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=True).stdout
        total = int(re.search(r"(\d+) requests in", out).group(1))
        m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        return total, total - (int(m.group(1)) if m else 0)

    def log_size(self, name):
        return os.path.getsize(os.path.join(self.s.var, "log", name))

    # ------------------------------------------------------------- flood

    def test_a_flood_from_one_address_does_not_starve_a_signed_in_reader(self):
        token = self.session("Читатель Под Нагрузкой")
        error_log, access_log = self.log_size("nginx-error.log"), self.log_size("nginx-access.log")
        wrk = subprocess.Popen(["wrk", "-t2", "-c400", "-d10s", "http://127.0.0.1:%d/api/health" % self.s.port],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        time.sleep(1.5)
        ok = n = 0
        slow = []
        while wrk.poll() is None and n < 200:
            n += 1
            try:
                status, _, body, took = self.call("/api/me", "127.0.0.2", token=token, timeout=2)
                if 200 <= status < 300 and took < 2:
                    ok += 1
                else:
                    slow.append((status, round(took, 2), body[:80]))
            except OSError as e:
                slow.append(repr(e))
            time.sleep(0.05)
        out = wrk.communicate()[0]
        self.assertGreater(n, 20, out)  # a busy machine makes fewer rounds; each must pass
        self.assertGreaterEqual(ok / n, 0.99, "%d/%d in time; failures %r\n%s" % (ok, n, slow[:10], out))
        # the flood itself was refused by nginx (429), not passed on
        total = int(re.search(r"(\d+) requests in", out).group(1))
        refused = int(re.search(r"Non-2xx or 3xx responses: (\d+)", out).group(1))
        self.assertGreater(refused, total * 0.9, out)
        # ... without a line per refused request in either log
        self.assertLess(self.log_size("nginx-error.log") - error_log, 64 * 1024)
        self.assertLess(self.log_size("nginx-access.log") - access_log, total * 10, out)

    # ----------------------------------------------------- per address

    def test_requests_without_a_session_are_limited_per_address(self):
        # a burst of 40, then 10 a second
        got, took = self.burst(150, lambda i: self.call("/api/health", "127.0.1.1"))
        statuses = [g[0] for g in got]
        self.assertGreaterEqual(statuses.count(200), 40, statuses)
        self.assertLessEqual(statuses.count(200), 40 + 10 * took + 2, (took, statuses))
        self.assertEqual(set(statuses), {200, 429})
        status, headers, body, _ = got[statuses.index(429)]
        self.assertEqual(headers["Retry-After"], "1")
        self.assertTrue(headers["Content-Type"].startswith("application/json"), headers)
        self.assertEqual(json.loads(body)["error"]["code"], "too_many_requests")
        self.assertIn("Слишком много запросов", body.decode())
        # another address is another visitor
        self.assertEqual(self.call("/api/health", "127.0.1.2")[0], 200)
        # the admin pages count with the API and answer in HTML
        got, _ = self.burst(60, lambda i: self.call("/admin/login", "127.0.1.1"))
        refused = [g for g in got if g[0] == 429]
        self.assertTrue(refused, [g[0] for g in got])
        self.assertTrue(refused[0][1]["Content-Type"].startswith("text/html"), refused[0][1])
        self.assertIn("Слишком много запросов", refused[0][2].decode())
        # a second later the address may go on
        time.sleep(1.2)
        self.assertEqual(self.call("/api/health", "127.0.1.1")[0], 200)

    def test_sign_in_is_limited_harder(self):
        def login(i):
            # an incomplete form: the core answers at once (no password hash
            # to compute), so only nginx's limit decides the pace
            status, headers, body, _ = self.call("/api/auth/login", "127.0.2.1", "POST", body="{}")
            return status, headers["Retry-After"], json.loads(body)["error"]["message"]

        # a burst of 20, then 2 a second: fewer than the 40 of other requests
        got, took = self.burst(80, login)
        passed = [g for g in got if g[0] != 429]
        self.assertGreaterEqual(len(passed), 20, got)
        self.assertLessEqual(len(passed), 20 + 2 * took + 2, (took, got))
        self.assertEqual({g[0] for g in passed}, {422}, got)  # the core's own answer
        self.assertIn((429, "1", "Слишком много запросов, повторите через секунду"), got)
        # reading is not sign-in: the same address still reads
        self.assertEqual(self.call("/api/health", "127.0.2.1")[0], 200)

    # ------------------------------------------------------ per session

    def test_an_office_behind_one_address_is_not_one_client(self):
        # 40 people of one office, each loading a page of 12 requests at
        # once: 480 requests in a second or two from one address
        tokens = [self.session("Сотрудник офиса %d" % i) for i in range(40)]
        statuses = []

        def person(token):
            for _ in range(12):
                statuses.append(self.call("/api/me", "127.0.3.1", token=token)[0])

        threads = [threading.Thread(target=person, args=(t,)) for t in tokens]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(statuses, [200] * 480)

    def test_one_session_is_limited_at_a_rate_no_person_reaches(self):
        token = self.session("Скрипт")
        # a burst of 100, then 20 a second
        t0 = time.time()
        self.assertEqual([self.call("/api/me", "127.0.4.1", token=token)[0] for _ in range(50)], [200] * 50)
        total, ok = self.wrk(3, 8, token=token, source_path="/api/me")
        self.assertGreater(total, 1000)
        self.assertLessEqual(50 + ok, 100 + 20 * (time.time() - t0) + 5)
        # another session on the same address is not affected
        other = self.session("Коллега")
        self.assertEqual(self.call("/api/me", "127.0.4.1", token=other)[0], 200)

    def test_made_up_sessions_do_not_escape_the_limits(self):
        # a new invented cookie with every request: each one a "session" of
        # its own to nginx, but the address as a whole is still limited
        t0 = time.time()
        total, ok = self.wrk(3, 16, script=(
            'counter = 0\n'
            'request = function()\n'
            '  counter = counter + 1\n'
            '  return wrk.format(nil, nil, {["Cookie"] = "cabinet_session=invented" .. counter})\n'
            'end\n'))
        self.assertGreater(total, 3000)
        self.assertLessEqual(ok, 1000 + 100 * (time.time() - t0) + 20)

    # ----------------------------------------------------- trusted proxy

    def audit_ip(self):
        """The address of the newest failed sign-in in the administrator's audit."""
        status, _, body, _ = self.call("/api/admin/audit", "127.0.7.1", token=self.admin.token)
        self.assertEqual(status, 200, body)
        items = json.loads(body)["items"]
        for a in items:
            if a["action"] == "auth.login" and not a["success"]:
                return a["ip"]
        raise AssertionError("no failed sign-in in the audit: %r" % items[:3])

    def test_the_client_address_behind_a_trusted_proxy(self):
        body = '{"login": "ghost@example.ru", "password": "Nepravilnyi-parol-1"}'
        fwd = {"X-Forwarded-For": "198.51.100.23, 203.0.113.7"}
        # through the proxy: the rightmost address the proxy saw
        self.assertEqual(self.call("/api/auth/login", PROXY, "POST", headers=fwd, body=body)[0], 401)
        self.assertEqual(self.audit_ip(), "203.0.113.7")
        # from anyone else the header is a lie and ignored
        self.assertEqual(self.call("/api/auth/login", "127.0.6.1", "POST", headers=fwd, body=body)[0], 401)
        self.assertEqual(self.audit_ip(), "127.0.6.1")
        # the limits count the real client, not the proxy: two clients
        # behind one proxy do not share a budget
        a, _ = self.burst(150, lambda i: self.call("/api/health", PROXY,
                                                   headers={"X-Forwarded-For": "203.0.113.50"})[0])
        b = self.call("/api/health", PROXY, headers={"X-Forwarded-For": "203.0.113.51"})[0]
        self.assertIn(429, a)
        self.assertEqual(b, 200)

    # ------------------------------------------------- one organization

    def api_key(self, admin):
        r = admin.post("/api/admin/api-keys", {"name": "Бухгалтерия", "scopes": ["staff"]})
        self.assertEqual(r.status, 201, r)
        return {"Authorization": "Bearer " + r.json()["key"]}

    def batch(self, key, host, source, items=1):
        stamp = time.time_ns() % 10**9
        body = json.dumps({"items": [{"external_id": "f-%d-%d" % (stamp, i),
                                      "personnel_number": "Ф%d-%d" % (stamp, i),
                                      "full_name": "Загрузкин Иван Петрович"} for i in range(items)]})
        return self.call("/api/exchange/v1/employees", source, "PUT", host=host, headers=key,
                         body=body, timeout=60)

    def test_one_organization_runs_one_long_operation_at_a_time(self):
        # (trial-break4 B2) an organization's exchange batch runs (held
        # here on a lock of the employees table); its next one, of any
        # kind, is refused at once, and another organization's requests
        # are answered meanwhile
        key = self.api_key(self.admin)
        _, _, other = tenant_with_admin(self.s, "limits-other")
        locker = self.s.psql_session()
        first = {}
        try:
            locker.stdin.write("BEGIN; LOCK TABLE employees IN EXCLUSIVE MODE;\n")
            locker.stdin.flush()
            deadline = time.time() + 20
            while self.s.psql("SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                              "WHERE c.relname = 'employees' AND l.mode = 'ExclusiveLock' AND l.granted") == "0":
                self.assertLess(time.time(), deadline, "no lock of the employees table")
                time.sleep(0.1)
            runner = threading.Thread(target=lambda: first.update(r=self.batch(key, "limits.localhost",
                                                                             "127.0.9.1")))
            runner.start()
            deadline = time.time() + 20
            while self.s.psql("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'") == "0":
                self.assertLess(time.time(), deadline, "the first batch never waited on the lock: %r" % first)
                time.sleep(0.1)
            status, headers, body, took = self.call("/api/exchange/v1/departments", "127.0.9.2", "PUT",
                                                    headers=key, body='{"items": []}')
            self.assertEqual(status, 429, body)
            self.assertEqual(headers["Retry-After"], "10")
            self.assertEqual(json.loads(body)["error"]["message"],
                             "Уже выполняется загрузка, обмен, расчёт или публикация организации, "
                             "повторите позже")
            status, _, body, _ = self.call("/api/me", "127.0.9.3", token=other.token,
                                           host="limits-other.localhost")
            self.assertEqual(status, 200, body)
            status, _, body, _ = self.call("/api/admin/payroll/2025-05/calculate", "127.0.9.3", "POST",
                                           host="limits-other.localhost", headers={"X-CSRF-Token": other.csrf,
                                                                       "Cookie": "cabinet_session=%s; cabinet_csrf=%s"
                                                                       % (other.token, other.csrf)})
            self.assertEqual(status, 200, body)
        finally:
            locker.stdin.write("COMMIT;\n")
            locker.stdin.close()
            locker.wait(10)
        runner.join(60)
        self.assertEqual(first["r"][0], 200, first["r"][2])
        # the slot is free again
        self.assertEqual(self.batch(key, "limits.localhost", "127.0.9.4")[0], 200)

    def test_an_organization_cannot_hold_every_responder_with_its_batches(self):
        # two batches whose bodies are still on the way hold their
        # organization's share of nginx; the third is refused before it
        # takes a responder, another organization's batch passes
        key = self.api_key(self.admin)
        _, _, other = tenant_with_admin(self.s, "limits-third")
        other_key = self.api_key(other)
        slow = []
        try:
            for i in range(2):
                sock = socket.create_connection(("127.0.0.1", self.s.port), timeout=10,
                                                source_address=("127.0.10.%d" % (i + 1), 0))
                sock.sendall(("PUT /api/exchange/v1/employees HTTP/1.1\r\nHost: limits.localhost:%d\r\n"
                              "Authorization: %s\r\nContent-Type: application/json\r\n"
                              "Content-Length: 100000\r\n\r\n{\"items\": ["
                              % (self.s.port, key["Authorization"])).encode())
                slow.append(sock)
            time.sleep(0.3)
            status, headers, body, _ = self.batch(key, "limits.localhost", "127.0.10.3")
            self.assertEqual(status, 429, body)
            self.assertEqual(headers["Retry-After"], "10")
            self.assertIn("Уже выполняется загрузка", json.loads(body)["error"]["message"])
            self.assertEqual(self.batch(other_key, "limits-third.localhost", "127.0.10.4")[0], 200)
        finally:
            for sock in slow:
                sock.close()

    # ------------------------------------------------------ event streams

    def test_event_streams_are_counted_per_person(self):
        # (trial-break4 B4) one person's streams, whatever session they
        # come from: 30 in all; another person is not touched
        uid = add_user(self.s, self.tid, "Слушатель Потоков")
        sessions = [Client(self.s, "limits", *add_session(self.s, self.tid, uid)) for _ in range(3)]
        streams = []
        try:
            for i in range(30):
                st = EventStream(self.s, sessions[i % 3])
                streams.append(st)
                self.assertEqual(st.status, 200, i)
            extra = EventStream(self.s, Client(self.s, "limits", *add_session(self.s, self.tid, uid)))
            self.assertEqual(extra.status, 429)
            self.assertEqual(json.loads(extra.body)["error"]["code"], "too_many_requests")
            someone = EventStream(self.s, Client(self.s, "limits", self.session("Другой Слушатель")))
            streams.append(someone)
            self.assertEqual(someone.status, 200)
        finally:
            for st in streams:
                st.close()


if __name__ == "__main__":
    unittest.main()
