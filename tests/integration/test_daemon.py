"""cabinetd as systemd and a Debian admin see it: sd_notify READY/WATCHDOG/
STOPPING, migrations with checksums, the units and `cmake --install`."""
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from stack import BUILD, ROOT, Stack  # noqa: E402

CABINETD = os.path.join(BUILD, "core", "cabinetd")


class Daemon(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Stack("daemon").__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def test_sd_notify_ready_watchdog_stopping(self):
        s = self.s
        s.kill("cabinetd", signal.SIGTERM)
        self.assertTrue(s.wait_dead("cabinetd"))
        path = os.path.join(s.var, "notify.sock")
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        sock.bind(path)
        os.chmod(path, 0o777)
        sock.settimeout(5)
        env = dict(os.environ, NOTIFY_SOCKET=path, WATCHDOG_USEC="200000")
        cmd = [CABINETD, "-c", s.conf]
        if os.getuid() == 0:  # as the stack's user, so the responders can reach its socket
            cmd = ["setpriv", "--reuid=cabinet", "--regid=cabinet", "--init-groups", "--"] + cmd
        p = subprocess.Popen(cmd, env=env, stderr=subprocess.DEVNULL)
        try:
            got = []
            deadline = time.time() + 5
            while time.time() < deadline and sum("WATCHDOG=1" in m for m in got) < 3:
                got.append(sock.recv(4096).decode())
            self.assertIn("READY=1", got[0])
            self.assertGreaterEqual(sum("WATCHDOG=1" in m for m in got), 3)
            self.assertEqual(s.http("GET", "/api/health").status, 200)
            p.send_signal(signal.SIGTERM)
            while True:
                m = sock.recv(4096).decode()
                if "STOPPING=1" in m:
                    break
            self.assertEqual(p.wait(10), 0)
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
            sock.close()
        s.start()  # back to the stack's own cabinetd

    def migrate(self, sql_dir):
        conf = os.path.join(self.s.var, "migtest.conf")
        with open(conf, "w") as f:
            f.write("db_migrate_conninfo = host=%s dbname=migtest user=cabinet\nsql_dir = %s\n"
                    % (os.path.join(self.s.var, "pg", "sock"), sql_dir))
        return subprocess.run([CABINETD, "-c", conf, "migrate"], stderr=subprocess.PIPE, text=True)

    def test_migrations_apply_in_order_and_refuse_an_edited_one(self):
        self.s.psql("CREATE DATABASE migtest OWNER cabinet", db="postgres")
        d = tempfile.mkdtemp()
        try:
            shutil.copy(os.path.join(ROOT, "sql", "0001_base.sql"), d)
            with open(os.path.join(d, "0003_third.sql"), "w") as f:
                f.write("CREATE TABLE third (x int REFERENCES second(x));\n")
            with open(os.path.join(d, "0002_second.sql"), "w") as f:
                f.write("CREATE TABLE second (x int PRIMARY KEY);\n")
            p = self.migrate(d)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn("applied=3", p.stderr)
            rows = self.s.psql("SELECT version || ':' || length(checksum) FROM schema_migrations ORDER BY 1",
                               db="migtest")
            self.assertEqual(rows.split(), ["1:64", "2:64", "3:64"])
            p = self.migrate(d)  # again: nothing to do
            self.assertEqual(p.returncode, 0)
            self.assertIn("applied=0", p.stderr)
            with open(os.path.join(d, "0002_second.sql"), "a") as f:
                f.write("-- edited after it was applied\n")
            p = self.migrate(d)
            self.assertEqual(p.returncode, 1)
            self.assertIn("applied_migration_changed", p.stderr)
            self.assertIn("0002_second.sql", p.stderr)
            # a failing migration leaves nothing behind
            os.remove(os.path.join(d, "0002_second.sql"))
            with open(os.path.join(d, "0004_broken.sql"), "w") as f:
                f.write("CREATE TABLE fourth (x int); SELECT no_such_function();\n")
            p = self.migrate(d)
            self.assertEqual(p.returncode, 1)
            self.assertEqual(self.s.psql("SELECT count(*) FROM pg_tables WHERE tablename = 'fourth'",
                                         db="migtest"), "0")
        finally:
            shutil.rmtree(d)

    def test_migrate_loads_the_shipped_calendars(self):
        self.s.psql("CREATE DATABASE caltest OWNER cabinet", db="postgres")
        d = tempfile.mkdtemp()
        try:
            shutil.copytree(os.path.join(ROOT, "sql"), d, dirs_exist_ok=True)
            conf = os.path.join(self.s.var, "caltest.conf")
            with open(conf, "w") as f:
                f.write("db_migrate_conninfo = host=%s dbname=caltest user=cabinet\nsql_dir = %s\n"
                        % (os.path.join(self.s.var, "pg", "sock"), d))
            run = lambda: subprocess.run([CABINETD, "-c", conf, "migrate"], stderr=subprocess.PIPE, text=True)
            p = run()
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn("files=14 reloaded=14", p.stderr)
            q = lambda sql: self.s.psql(sql, db="caltest")
            self.assertEqual(q("SELECT min(year) || '-' || max(year) || ':' || count(*) FROM ru_calendar_years"),
                             "2013-2026:14")
            # 2025: 1 May a holiday, 2 May a day off moved from 4 January
            self.assertEqual(q("SELECT d->>'kind' || ',' || coalesce(d->>'from', '') FROM ru_calendar_years, "
                               "jsonb_array_elements(data->'days') d WHERE year = 2025 AND d->>'date' = '2025-05-02'"),
                             "day_off,2025-01-04")
            self.assertIn("reloaded=0", run().stderr)  # unchanged files are not reloaded
            path = os.path.join(d, "calendars", "ru", "2025.xml")
            with open(path) as f:
                text = f.read()
            with open(path, "w") as f:  # an edited file is reloaded
                f.write(text.replace('<day d="05.02" t="1" f="01.04"/>', ''))
            p = run()
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn("reloaded=1", p.stderr)
            self.assertEqual(q("SELECT count(*) FROM ru_calendar_years, jsonb_array_elements(data->'days') d "
                               "WHERE year = 2025 AND d->>'date' = '2025-05-02'"), "0")
            with open(path, "w") as f:  # a broken file fails the run and changes nothing
                f.write(text.replace('t="1" f="01.04"', 't="9"'))
            p = run()
            self.assertEqual(p.returncode, 1)
            self.assertIn("calendar_invalid", p.stderr)
            self.assertIn("2025.xml", p.stderr)
            self.assertEqual(q("SELECT count(*) FROM ru_calendar_years, jsonb_array_elements(data->'days') d "
                               "WHERE year = 2025 AND d->>'date' = '2025-05-02'"), "0")
        finally:
            shutil.rmtree(d)

    def test_config_check(self):
        p = subprocess.run([CABINETD, "-t", "-c", os.path.join(ROOT, "conf", "cabinet.conf.example")],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        bad = os.path.join(self.s.var, "bad.conf")
        with open(bad, "w") as f:
            f.write("workers = 1000\n")
        p = subprocess.run([CABINETD, "-t", "-c", bad], stderr=subprocess.PIPE, text=True)
        self.assertEqual(p.returncode, 1)
        self.assertIn("workers", p.stderr)
        self.assertIn("1..64", p.stderr)


class Install(unittest.TestCase):
    def test_units_verify_and_install_layout(self):
        prefix = tempfile.mkdtemp()
        try:
            subprocess.run(["cmake", "--install", BUILD, "--prefix", prefix], check=True,
                           stdout=subprocess.DEVNULL)
            for f in ("sbin/cabinetd", "sbin/cabinetctl", "sbin/cabinet-api", "sbin/cabinet-admin",
                      "share/cabinet/sql/0001_base.sql", "share/cabinet/templates/status.html",
                      "share/cabinet/www/index.html", "lib/systemd/system/cabinetd.service",
                      "lib/sysusers.d/cabinet.conf", "lib/tmpfiles.d/cabinet.conf"):
                self.assertTrue(os.path.exists(os.path.join(prefix, f)), f)
            self.assertTrue(glob.glob(os.path.join(prefix, "*etc/cabinet/cabinet.conf.example")))
            self.assertTrue(glob.glob(os.path.join(prefix, "*etc/nginx/sites-available/cabinet")))
            # the units as configured, pointed at the installed binaries
            sbindir = subprocess.run(["grep", "-h", "^ExecStart=", os.path.join(BUILD, "conf", "cabinetd.service")],
                                     stdout=subprocess.PIPE, text=True).stdout.split("=", 1)[1].split()[0].rsplit("/", 1)[0]
            units = []
            for u in ("cabinetd", "cabinet-api", "cabinet-admin"):
                with open(os.path.join(BUILD, "conf", u + ".service")) as f:
                    text = f.read().replace(sbindir + "/", os.path.join(prefix, "sbin") + "/")
                path = os.path.join(prefix, u + ".service")
                with open(path, "w") as f:
                    f.write(text)
                units.append(path)
            self.assertIn("Type=notify", open(units[0]).read())
            p = subprocess.run(["systemd-analyze", "verify", *units], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, cwd=prefix)
            self.assertEqual(p.returncode, 0, p.stdout)
            self.assertNotIn("Unknown", p.stdout)
        finally:
            shutil.rmtree(prefix)


if __name__ == "__main__":
    unittest.main()
