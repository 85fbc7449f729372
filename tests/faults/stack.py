"""A private production stack for the fault tests: a PostgreSQL cluster of its own (``initdb`` in a
temporary directory, on a free port), a Redis of its own, the app under gunicorn in production
mode (``DEBUG=0``) and real Celery workers — all pointed at these private services, never at the
shared PostgreSQL (5432) or Redis (6379), so a test may stop, kill or restart them.

Nothing here depends on the database the test process itself uses: the data is written by
:mod:`tests.faults.seed` in a subprocess, the app is driven over HTTP, and the outcome is read
with plain SQL. The tests therefore run the same in both CI passes (PostgreSQL + Redis, and the
embedded SQLite default).
"""

import glob
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent.parent
HOST = "127.0.0.1"
WAIT_SECONDS = 60


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_until(predicate, what, seconds=WAIT_SECONDS, interval=0.1):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"{what}: not within {seconds}s")


def stop_process(process, timeout=20, how=signal.SIGTERM):
    if process is not None and process.poll() is None:
        process.send_signal(how)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _pg_bin(name):
    """PostgreSQL's server programs (Debian keeps them out of PATH), the newest version first."""
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                        key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
    found = candidates[-1] if candidates else shutil.which(name)
    if not found:
        raise FileNotFoundError(f"PostgreSQL's {name} (looked in /usr/lib/postgresql/*/bin and PATH)")
    return found


class PrivatePostgres:
    """A throw-away cluster. As root, the server runs as the ``postgres`` user (initdb refuses
    root); otherwise as the current user."""

    def __init__(self):
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="unionproj-faults-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "server.log"
        self.as_root = os.geteuid() == 0

    def _run(self, *args, check=True, timeout=120):
        command = [str(a) for a in args]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, timeout=timeout, capture_output=True, text=True,
                              stdin=subprocess.DEVNULL)

    def start(self):
        if self.as_root:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run(_pg_bin("initdb"), "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(f"\nlisten_addresses = '{HOST}'\nport = {self.port}\n"
                       f"unix_socket_directories = '{self.dir}'\nfsync = off\nfull_page_writes = off\n"
                       "max_connections = 60\n")
        self.pg_ctl("start", "-w", "-t", "60")
        return self

    def pg_ctl(self, action, *args):
        done = self._run(_pg_bin("pg_ctl"), action, "-D", self.data, "-l", self.log, *args, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"pg_ctl {action} failed: {done.stdout}{done.stderr}\n{self.server_log()}")
        return done

    def restart(self):
        """``pg_ctl restart -m fast``: every session is cut, open transactions roll back."""
        self.pg_ctl("restart", "-m", "fast", "-w", "-t", "60")

    def server_log(self):
        try:
            return self.log.read_text()[-4000:]
        except OSError:
            return ""

    def stop(self):
        if self.data.exists():
            self._run(_pg_bin("pg_ctl"), "stop", "-D", self.data, "-m", "immediate", "-w", check=False)
        shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, dbname):
        return f"postgres://postgres@{HOST}:{self.port}/{dbname}"

    def connect(self, dbname="postgres"):
        return psycopg.connect(host=HOST, port=self.port, user="postgres", dbname=dbname, connect_timeout=5,
                               autocommit=True)

    def sql(self, dbname, query, params=None):
        conn = self.connect(dbname)
        try:
            with conn.cursor() as cursor:
                cursor.execute(query, params)
                return cursor.fetchall() if cursor.description else None
        finally:
            conn.close()

    def create_database(self, name, template=None):
        self.sql("postgres", f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))


class PrivateRedis:
    """A redis-server on a free port, no persistence; it can be stopped and started again on
    the same port."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", HOST, "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        wait_until(self.answers, f"redis-server on port {self.port}", 20)
        return self

    def answers(self):
        try:
            with socket.create_connection((HOST, self.port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self):
        stop_process(self.process)
        self.process = None

    def url(self, db=0):
        return f"redis://{HOST}:{self.port}/{db}"


def app_env(database_url, broker_url, **extra):
    """The app's variables in production mode (DEBUG=0) on plain-HTTP loopback."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "CELERY_", "CACHE_URL"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "unionproj.settings",
        "DEBUG": "0",
        "SECRET_KEY": "faults-only-secret-key-not-for-production-0123456789abcdef",
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker_url,
        "STATIC_ROOT": str(Path(tempfile.gettempdir()) / "unionproj-faults-static"),
        "LOG_LEVEL": "ERROR",
        "AXES_FAILURE_LIMIT": "1000",
        "PYTHONUNBUFFERED": "1",
    })
    env.update({k: str(v) for k, v in extra.items()})
    return env


def manage(env, *args, timeout=300):
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def seed(env, scenario, **options):
    """Run :mod:`tests.faults.seed` ``scenario`` against the private database; its JSON answer."""
    done = subprocess.run([sys.executable, "-m", "tests.faults.seed", scenario, json.dumps(options)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        raise RuntimeError(f"seed {scenario} failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


class Gunicorn:
    """The app served by gunicorn (sync workers) on a free port, as in production."""

    def __init__(self, env, workers=3, log=None):
        self.env, self.workers, self.port, self.process = env, workers, free_port(), None
        self.log = Path(log or tempfile.mktemp(prefix="faults-gunicorn-", suffix=".log"))

    def start(self):
        with self.log.open("a") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "unionproj.wsgi", "--bind", f"{HOST}:{self.port}",
                 "--workers", str(self.workers), "--timeout", "60", "--graceful-timeout", "5",
                 "--log-level", "warning"],
                cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

        def up():
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log.read_text()[-4000:]}")
            try:
                return self.request("GET", "/healthz/", timeout=2)[0] == 200
            except OSError:
                return False

        wait_until(up, "gunicorn answering /healthz/", 60, 0.2)
        return self

    def request(self, method, path, body=None, token=None, timeout=30, headers=None):
        """``(status, parsed JSON or text)``; raises ``OSError`` when the connection fails."""
        headers = {"Accept": "application/json", "Host": HOST, **(headers or {})}
        if token:
            headers["Authorization"] = f"Token {token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        conn = http.client.HTTPConnection(HOST, self.port, timeout=timeout)
        try:
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            raw = response.read()
        except http.client.HTTPException as exc:
            raise OSError(str(exc)) from exc
        finally:
            conn.close()
        try:
            return response.status, json.loads(raw)
        except ValueError:
            return response.status, raw.decode(errors="replace")

    def stop(self):
        stop_process(self.process, how=signal.SIGQUIT)  # gunicorn's quick shutdown: the test is over


class Worker:
    """A real ``celery worker`` (solo pool) on the private broker and database."""

    def __init__(self, env, log):
        self.env, self.log, self.process = env, Path(log), None

    def start(self, visibility_timeout=None):
        env = dict(self.env)
        if visibility_timeout is not None:
            env["CELERY_VISIBILITY_TIMEOUT"] = str(visibility_timeout)
        with self.log.open("a") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "unionproj", "worker", "--pool=solo",
                 "-n", f"faults-{os.getpid()}-{time.monotonic_ns()}@{socket.gethostname()}",
                 "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info"],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        return self

    def kill(self):
        """SIGKILL: no clean-up, no acknowledgement."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        stop_process(self.process, timeout=10, how=signal.SIGQUIT)  # Celery's cold shutdown: the test is over

    def text(self):
        return self.log.read_text()[-6000:] if self.log.exists() else ""
