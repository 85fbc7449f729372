"""Jury load (issue 7, part 1), through gunicorn in production mode with the deployed configuration
(gunicorn.conf.py) on 127.0.0.1, credentials obtained as real clients obtain them:

- *saturation*: 20 closed-loop clients (wrk, a Lua script) saving cards back to back with API
  tokens got from ``POST /api/v1/auth/token/``, each save with new values (so each one writes
  and is audited); against ``GET /api/v1/me/`` with the same tokens on the same server, same run,
  in alternated rounds (the ratio is the median round's).
- *the hall*: N phones (one juror each, a browser session: the login page's CSRF cookie and form
  token, the password POSTed, then the session cookie and ``X-CSRFToken`` on every PUT) each
  autosave a draft every 2 s, open loop (``bench/hall_client.py`` in its own process, latency from
  the scheduled send time); p50/p95/p99, errors, the client's and the server's CPU.
- *submissions*: every card of the roadshow POSTed to its submit endpoint at once from many
  connections, some twice at the same time (a double tap); then the database is checked: each
  card submitted, exactly one ``submit`` event per card.

Logging in costs a password hash (PBKDF2, ~0.8 s of CPU here, by design), so only some phones
log in through the login page; the others get a session made by the bench the way a login makes
it (the same session data), and a CSRF cookie and header the way a browser sends them. Every
PUT still goes through the session and CSRF checks.
"""

import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db.models import Count
from django.middleware.csrf import _get_new_csrf_string
from django.utils import timezone
from django.utils.crypto import get_random_string

from evaluations.enums import CardStatus, EventAction, RoadshowStatus
from evaluations.models import EvaluationEvent, Scorecard
from members.signals import LOGIN_AT, REFRESHED_AT

from . import seed
from .figures import Figure
from .http_bench import HOST, Server, wrk_run

ROOT = Path(__file__).resolve().parent.parent
INTERVAL = 2.0  # a phone's autosave period, seconds
P95_TARGET_MS = 100
SATURATION_ROUNDS = 3  # me + autosave alternated, 10 s each (one round with --quick)
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def ensure_wrk():
    """wrk, installed with apt when missing and we may (root, apt-get), else a clear error."""
    if shutil.which("wrk"):
        return
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "wrk"], check=False, env=env,
                       capture_output=True)
    if not shutil.which("wrk"):
        raise RuntimeError("wrk is not installed: `sudo apt-get install wrk` (the saturation figures need it)")


# --- logging in as clients do -----------------------------------------------------------------


def _cookies(response):
    jar = {}
    for header in response.msg.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def login_page(port, username):
    """A browser's login: GET the page (CSRF cookie + the form's token), POST the credentials,
    keep the session cookie and the CSRF cookie the login rotated. Returns (cookie header, token)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request("GET", "/accounts/login/")
    response = conn.getresponse()
    page = response.read().decode()
    jar = _cookies(response)
    form_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urlencode({"username": username, "password": seed.PASSWORD, "csrfmiddlewaretoken": form_token})
    conn.request("POST", "/accounts/login/", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={jar['csrftoken']}"})
    response = conn.getresponse()
    response.read()
    jar.update(_cookies(response))
    conn.close()
    if response.status != 302 or "sessionid" not in jar:
        raise RuntimeError(f"login of {username} answered {response.status}")
    return f"sessionid={jar['sessionid']}; csrftoken={jar['csrftoken']}", jar["csrftoken"]


def api_token(port, username):
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request("POST", "/api/v1/auth/token/", body=json.dumps({"username": username, "password": seed.PASSWORD}),
                 headers={"Content-Type": "application/json", "Accept": "application/json"})
    response = conn.getresponse()
    text = response.read()
    conn.close()
    if response.status != 200:
        raise RuntimeError(f"token of {username} answered {response.status}: {text[:200]!r}")
    return json.loads(text)["token"]


def made_sessions(users):
    """Sessions as a login leaves them (user, backend, password hash stamp, login time), written
    in one statement; with a CSRF cookie each. Returns {user id: (cookie header, token)}."""
    now, rows, out = time.time(), [], {}
    expire = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    store = SessionStore()
    for user in users:
        key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
        data = {SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: MODEL_BACKEND,
                HASH_SESSION_KEY: user.get_session_auth_hash(), LOGIN_AT: now, REFRESHED_AT: now}
        rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expire))
        csrf = _get_new_csrf_string()
        out[user.pk] = (f"sessionid={key}; csrftoken={csrf}", csrf)
    Session.objects.bulk_create(rows, batch_size=seed.BATCH)
    return out


# --- saturation: wrk ----------------------------------------------------------------------------

AUTOSAVE_LUA = r"""
local cards = %(cards)s
local crit = %(criteria)s
local made = 0
function setup(thread)
  thread:set("tid", made)
  made = made + 1
end
local n = 0
function init(args)
  n = tonumber(tid)
  math.randomseed(1000 + n)
end
-- Thread t takes cards t, t+2, t+4...: two threads never save the same card, and within a
-- thread the 10 connections' cards are consecutive, so distinct.
request = function()
  local c = cards[(n %% #cards) + 1]
  n = n + 2
  local parts = {}
  for i, cr in ipairs(crit) do
    parts[i] = string.format('"%%d": "%%.1f"', cr[1], math.random(0, cr[2]) / 10)
  end
  local body = '{"scores": {' .. table.concat(parts, ", ") .. '}}'
  return wrk.format("PUT", c[1], {["Content-Type"] = "application/json", ["Accept"] = "application/json",
                                  ["Authorization"] = c[2]}, body)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH requests=%%d duration_us=%%d p50=%%d p95=%%d p99=%%d status=%%d socket=%%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
"""

ME_LUA = r"""
local tokens = %(tokens)s
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/api/v1/me/", {["Accept"] = "application/json", ["Authorization"] = tokens[(n %% #tokens) + 1]})
end
""" + AUTOSAVE_LUA[AUTOSAVE_LUA.index("done = function"):]


def _median(values):
    return round(statistics.median(values), 2)


def _lua_list(items):
    return "{" + ", ".join(items) + "}"


# --- the server's CPU ---------------------------------------------------------------------------


def _tree_cpu(pid):
    """CPU seconds (user + system) of a process and its children (gunicorn's master and workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total, pending = 0.0, [pid]
    while pending:
        p = pending.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{p}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError, IndexError):
            continue
    return total


# --- the run ------------------------------------------------------------------------------------


def _client(spec):
    out = subprocess.run([sys.executable, "-m", "bench.hall_client"], input=json.dumps(spec), capture_output=True,
                         text=True, cwd=ROOT, timeout=spec.get("duration", 0) + spec.get("warmup", 0) + 300)
    if out.returncode != 0:
        raise RuntimeError(f"hall client failed: {out.stderr[-500:]}")
    return json.loads(out.stdout)


def run(world, quick):
    ensure_wrk()
    sizes = (50,) if quick else (100, 300, 1000)
    entries = 2 if quick else 3  # each juror's cards; a phone moves through them save after save
    seconds, hall_seconds, warmup = (2, 2, 1) if quick else (10, 20, 3)
    logins = 1 if quick else 16  # phones that log in through the login page (PBKDF2: ~0.8 s each)
    token_jurors = 4 if quick else 20
    show, people, cards = seed.scored_roadshow(world, entries=entries, jurors_count=max(sizes),
                                               status=RoadshowStatus.SCORING)
    criteria = [(str(c.pk), int(c.max_points * 10)) for c in world.criteria]
    by_juror = {}
    for card in cards:
        by_juror.setdefault(card.juror_id, []).append({"id": card.pk, "criteria": criteria})
    figures = []
    workers = 2 * (os.cpu_count() or 1) + 1
    with Server(workers) as server:
        port = server.port
        figures.append(Figure("hall.gunicorn_conf.workers", workers, "processes"))
        # Credentials, as clients get them (logins in parallel: each is one password hash).
        started = time.perf_counter()
        with ThreadPoolExecutor(workers) as pool:
            tokens = list(pool.map(lambda u: api_token(port, u.username), people[:token_jurors]))
            logged = list(pool.map(lambda u: login_page(port, u.username), people[:logins]))
        figures.append(Figure(f"hall.logins.{token_jurors}_tokens_{logins}_pages.wall_s",
                              round(time.perf_counter() - started, 1), "s"))
        sessions = made_sessions(people[logins:])
        sessions.update({u.pk: logged[i] for i, u in enumerate(people[:logins])})

        # Saturation: 20 clients, token path.
        clients = 20
        mine = [(f"/api/v1/scorecards/{c['id']}/", f"Token {tokens[i % token_jurors]}")
                for i, u in enumerate(people[:token_jurors]) for c in by_juror[u.pk]]
        autosave_lua = AUTOSAVE_LUA % {
            "cards": _lua_list("{%s, %s}" % (json.dumps(p), json.dumps(t)) for p, t in mine),
            "criteria": _lua_list("{%s, %d}" % (cid, tenths) for cid, tenths in criteria)}
        me_lua = ME_LUA % {"tokens": _lua_list(json.dumps(f"Token {t}") for t in tokens)}
        # Alternated rounds (me, autosave, me, autosave…): the machine is shared, and a
        # neighbour's load lands on both sides of a round; the ratio is the median round's.
        scripts = (("me", me_lua), ("autosave", autosave_lua))
        for _name, script in scripts:
            wrk_run(port, script, clients, 1)  # warm every worker's connections
        rounds = {name: [] for name, _script in scripts}
        for _round in range(1 if quick else SATURATION_ROUNDS):
            for name, script in scripts:
                cpu0 = _tree_cpu(server.proc.pid)
                r = wrk_run(port, script, clients, seconds)
                r["server_cpu_ms"] = 1000 * (_tree_cpu(server.proc.pid) - cpu0) / max(1, r["rps"] * seconds)
                rounds[name].append(r)
        for name, runs in rounds.items():
            figures += [
                Figure(f"hall.saturation.{name}.c{clients}.rps", _median(r["rps"] for r in runs), "req/s"),
                Figure(f"hall.saturation.{name}.c{clients}.p95_ms", _median(r["p95_ms"] for r in runs), "ms"),
                Figure(f"hall.saturation.{name}.c{clients}.errors", sum(r["errors"] for r in runs), "count", "0",
                       all(r["errors"] == 0 for r in runs)),
                # gunicorn's processes (not PostgreSQL's) per answered request
                Figure(f"hall.saturation.{name}.c{clients}.server_cpu_ms_per_req",
                       _median(r["server_cpu_ms"] for r in runs), "ms"),
            ]
        ratios = [a["rps"] / m["rps"] for a, m in zip(rounds["autosave"], rounds["me"], strict=True)]
        ratio = statistics.median(ratios)
        figures += [Figure("hall.saturation.autosave_vs_me.rps_ratio", round(ratio, 2), "x", ">= 0.5", ratio >= 0.5),
                    Figure("hall.saturation.autosave_vs_me.rps_ratio.min_round", round(min(ratios), 2), "x"),
                    Figure("hall.saturation.autosave_vs_me.rps_ratio.max_round", round(max(ratios), 2), "x")]

        # The hall: open loop, session + CSRF.
        for n in sizes:
            phones = [{"cookie": sessions[u.pk][0], "csrf": sessions[u.pk][1], "cards": by_juror[u.pk]}
                      for u in people[:n]]
            cpu0 = _tree_cpu(server.proc.pid)
            r = _client({"mode": "autosave", "host": HOST, "port": port, "interval": INTERVAL,
                         "duration": hall_seconds, "warmup": warmup, "timeout": 30, "give_up": 10, "phones": phones})
            server_cpu = _tree_cpu(server.proc.pid) - cpu0
            target = n <= 300
            p = f"hall.n{n}"
            figures += [
                Figure(f"{p}.offered_rps", round(n / INTERVAL, 1), "req/s"),
                Figure(f"{p}.answered_rps", r["rps"], "req/s"),
                Figure(f"{p}.p50_ms", r["p50_ms"], "ms"),
                Figure(f"{p}.p95_ms", r["p95_ms"], "ms", f"<= {P95_TARGET_MS}" if target else "",
                       (r["p95_ms"] is not None and r["p95_ms"] <= P95_TARGET_MS) if target else None),
                Figure(f"{p}.p99_ms", r["p99_ms"], "ms"),
                Figure(f"{p}.errors", r["errors"], "count", "0" if target else "", (r["errors"] == 0) if target else None),
                # gunicorn's processes over the whole level (its warm-up included) / answered saves
                Figure(f"{p}.server_cpu_ms_per_save", round(1000 * server_cpu / max(1, r["answered"]), 2), "ms"),
                Figure(f"{p}.client_cpu_pct", r["client_cpu_pct_of_one_core"], "% of a core"),
            ]
            for kind, count in sorted(r["error_kinds"].items()):  # warm-up included
                figures.append(Figure(f"{p}.errors.{re.sub(r'[^a-z0-9]+', '_', kind.lower()).strip('_')}", count,
                                      "count"))

        # Submissions: every card once, all at once; 5% of them double-tapped.
        phones = [{"cookie": sessions[u.pk][0], "csrf": sessions[u.pk][1], "cards": by_juror[u.pk]} for u in people]
        doubles = [c.pk for c in cards[::20]]
        r = _client({"mode": "submit", "host": HOST, "port": port, "timeout": 60, "phones": phones,
                     "double": doubles, "connections": 50 if quick else 200})
    figures += _check_submissions(show, cards, doubles, r)
    return figures


def _check_submissions(show, cards, doubles, r):
    total = len(cards)
    answers = r["answers"]
    submitted = set(Scorecard.objects.filter(entry__roadshow=show, status=CardStatus.SUBMITTED)
                    .values_list("pk", flat=True))
    events = (EvaluationEvent.objects.filter(roadshow=show, object_type="scorecard", action=EventAction.SUBMIT)
              .values("object_id").annotate(n=Count("pk")))
    per_card = {e["object_id"]: e["n"] for e in events}
    # Lost: a card not submitted, or submitted without its audit event.
    lost = sum(1 for c in cards if c.pk not in submitted or c.pk not in per_card)
    doubled = sum(1 for n in per_card.values() if n > 1)
    double_ok = sum(1 for pk in doubles if sorted(map(str, r["per_card"][str(pk)])) == ["200", "409"])
    other = {k: v for k, v in answers.items() if k not in ("200", "409")}
    return [
        Figure("hall.submit.cards", total, "cards"),
        Figure("hall.submit.posts", r["posts"], "requests"),
        Figure("hall.submit.double_taps", len(doubles), "cards"),
        Figure("hall.submit.wall_s", r["wall_s"], "s"),
        Figure("hall.submit.answers_200", answers.get("200", 0), "count", f"== {total}", answers.get("200", 0) == total),
        Figure("hall.submit.lost", lost, "cards", "0", lost == 0),
        Figure("hall.submit.doubled", doubled, "cards", "0", doubled == 0 and len(per_card) == total),
        Figure("hall.submit.double_taps_one_200_one_409", double_ok, "pairs", f"== {len(doubles)}",
               double_ok == len(doubles)),
        Figure("hall.submit.other_answers", sum(other.values()), "count", "0", not other),
        *(Figure(f"hall.submit.answers_{re.sub(r'[^a-z0-9]+', '_', k.lower())}", v, "count") for k, v in other.items()),
    ]
