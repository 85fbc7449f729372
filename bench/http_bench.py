"""Page load and API under concurrent clients, through gunicorn in production mode on
127.0.0.1: rps and p95 of the project list (a session) and ``/api/v1/me/`` (a token); the
server, the wrk driver and the session cookies are shared with the hall and pages groups. Load by wrk
(with a Lua script) when installed, else a threaded http.client keep-alive client. Traffic
only to 127.0.0.1, bounded in time."""

import hashlib
import http.client
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from django.test import Client

from evaluations.enums import RoadshowStatus
from members.credentials import issue_token

from . import env, seed
from .figures import Figure

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def _free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _static_stamp():
    files = sorted(p for p in (ROOT / "static").rglob("*") if p.is_file())
    return hashlib.sha256(repr([(str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files]).encode()).hexdigest()


def _collectstatic(variables):
    """Into the bench's temp STATIC_ROOT, skipped when static/ has not changed since the last run
    (whitenoise compresses every file: the slowest step of the setup)."""
    stamp_file = Path(env.STATIC_ROOT) / ".bench-stamp"
    stamp = _static_stamp()
    if stamp_file.exists() and stamp_file.read_text() == stamp and (Path(env.STATIC_ROOT) / "staticfiles.json").exists():
        return
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "--clear", "-v0"], cwd=ROOT,
                   env=variables, check=True)
    stamp_file.write_text(stamp)


class Server:
    """gunicorn serving the app, started as a subprocess and stopped on exit."""

    def __init__(self, workers):
        self.port = _free_port()
        self.workers = workers
        self.proc = None

    def __enter__(self):
        variables = {**os.environ, **env.settings_env()}
        _collectstatic(variables)
        self.log = tempfile.NamedTemporaryFile(prefix="bench-gunicorn-", suffix=".log", delete=False)
        # The deployed configuration (gunicorn.conf.py: gthread workers, keep-alive), on a free port.
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "unionproj.wsgi", "-c", str(ROOT / "gunicorn.conf.py"),
             "--bind", f"{HOST}:{self.port}", "--workers", str(self.workers), "--log-level", "warning"],
            cwd=ROOT, env=variables, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited, see {self.log.name}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=2)
                conn.request("GET", "/healthz/")
                if conn.getresponse().status < 500:
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer within 30 s")

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            # SIGQUIT: gunicorn's quick shutdown. SIGTERM's graceful one waits out the idle
            # keep-alive connections (1.5 s per server, a fortieth of --quick's minute).
            self.proc.send_signal(signal.SIGQUIT)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return False


# --- load clients ----------------------------------------------------------------------------

LUA = r"""
local targets = %(targets)s
math.randomseed(%(seed)d)
request = function()
  local t = targets[math.random(#targets)]
  return wrk.format(t[1], t[2], t[3], t[4])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH requests=%%d duration_us=%%d p50=%%d p95=%%d p99=%%d status=%%d socket=%%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
"""


def _lua_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _lua_targets(targets):
    items = []
    for method, path, headers, body in targets:
        h = ", ".join(f"[{_lua_str(k)}] = {_lua_str(v)}" for k, v in headers.items())
        items.append(f"{{{_lua_str(method)}, {_lua_str(path)}, {{{h}}}, {_lua_str(body) if body else 'nil'}}}")
    return "{" + ",\n".join(items) + "}"


def wrk_load(port, targets, connections, seconds):
    return wrk_run(port, LUA % {"targets": _lua_targets(targets), "seed": 7}, connections, seconds)


def wrk_run(port, script, connections, seconds):
    """Run wrk with a Lua ``script`` whose ``done`` prints the ``BENCH …`` line; its figures."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
        path = f.name
    try:
        out = subprocess.run(["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s",
                              "-s", path, f"http://{HOST}:{port}/"],
                             capture_output=True, text=True, timeout=seconds + 30, check=True).stdout
    finally:
        os.unlink(path)
    m = re.search(r"BENCH requests=(\d+) duration_us=(\d+) p50=(\d+) p95=(\d+) p99=(\d+) status=(\d+) socket=(\d+)",
                  out)
    requests, duration, p50, p95, p99, status, sock = map(int, m.groups())
    return {"rps": requests / (duration / 1e6), "p50_ms": p50 / 1000, "p95_ms": p95 / 1000, "p99_ms": p99 / 1000,
            "errors": status + sock, "requests": requests}


def python_load(port, targets, connections, seconds):
    """Closed loop: ``connections`` threads, each with its keep-alive connection."""
    stop = time.monotonic() + seconds
    latencies, errors, lock = [], [0], threading.Lock()

    def worker(n):
        rng = random.Random(n)
        conn = http.client.HTTPConnection(HOST, port, timeout=10)
        mine, bad = [], 0
        while time.monotonic() < stop:
            method, path, headers, body = rng.choice(targets)
            start = time.perf_counter()
            try:
                conn.request(method, path, body=body.encode() if body else None, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status >= 400:
                    bad += 1
            except (OSError, http.client.HTTPException):
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=10)
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(len(latencies) * p / 100))] * 1000 if latencies else 0.0

    return {"rps": len(latencies) / elapsed, "p50_ms": pct(50), "p95_ms": pct(95), "p99_ms": pct(99),
            "errors": errors[0], "requests": len(latencies)}


def load(port, targets, connections, seconds):
    if shutil.which("wrk"):
        return wrk_load(port, targets, connections, seconds)
    return python_load(port, targets, connections, seconds)


# --- the figures -----------------------------------------------------------------------------


def _session_cookie(user):
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def _check(port, target):
    method, path, headers, body = target
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    conn.request(method, path, body=body.encode() if body else None, headers=headers)
    response = conn.getresponse()
    text = response.read()
    if response.status != 200:
        raise RuntimeError(f"{method} {path} answered {response.status}: {text[:300]!r}")


def run(world, quick):
    jurors, cards_each = 20, 5
    _show, people, cards = seed.scored_roadshow(world, entries=cards_each, jurors_count=jurors,
                                                status=RoadshowStatus.SCORING)
    tokens = {u.pk: issue_token(user=u) for u in people}
    # The card autosave is measured by the hall group (new values on every save, against this same
    # bare view in its own run); a fixed body here would measure a save that writes nothing.
    me = [("GET", "/api/v1/me/", {"Accept": "application/json", "Authorization": f"Token {tokens[u.pk]}"}, None)
          for u in people]
    page = [("GET", "/projects/", {"Cookie": _session_cookie(world.admin)}, None)]
    seconds = 3 if quick else 10
    clients = 20
    figures = []
    workers = 2 * (os.cpu_count() or 1) + 1
    with Server(workers) as server:
        for target in (me[0], page[0]):
            _check(server.port, target)
        client_name = "wrk" if shutil.which("wrk") else "python"
        figures.append(Figure(f"http.client_{client_name}.gunicorn_workers", workers, "workers"))
        results = {}
        for name, targets in (("project_list", page), ("me", me)):
            load(server.port, targets, clients, 1)  # warm every worker's connections and caches
            r = results[name] = load(server.port, targets, clients, seconds)
            figures += [
                Figure(f"http.{name}.c{clients}.rps", round(r["rps"], 1), "req/s"),
                Figure(f"http.{name}.c{clients}.p95_ms", round(r["p95_ms"], 1), "ms"),
                Figure(f"http.{name}.c{clients}.errors", r["errors"], "count", "0", r["errors"] == 0),
            ]
    return figures
