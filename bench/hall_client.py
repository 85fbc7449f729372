"""The hall's load client: an open-loop asyncio client, run in its own process
(``python -m bench.hall_client < spec.json``; prints one JSON object). It imports no Django, so it
stays light beside the server on the same cores, and it prints its own CPU time.

``autosave`` mode: each phone (one juror, one keep-alive HTTP/1.1 connection, the juror's session
cookie and CSRF token) PUTs a draft of one of its cards every ``interval`` seconds, each time with
new values. The sends are *scheduled* (phone ``i`` at ``offset_i + k × interval``) and a latency is
counted from the scheduled time to the end of the answer: when the server is slow the next save
waits behind the previous one on the phone, and that wait is counted — no coordinated omission.

A save more than ``give_up`` seconds behind its schedule is not sent and counts as an error.

``submit`` mode: every card is POSTed to its submit endpoint once, all at once, from
``connections`` connections (a card listed twice in ``double`` is POSTed twice at the same time
from two connections: a phone's double tap). Answers are counted by status.
"""

import asyncio
import json
import random
import resource
import sys
import time
from collections import Counter


def _cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Connection:
    """One HTTP/1.1 keep-alive connection (raw asyncio streams), reopened when the server closes."""

    def __init__(self, host, port, timeout):
        self.host, self.port, self.timeout = host, port, timeout
        self.reader = self.writer = None

    async def request(self, method, path, headers, body=b""):
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", f"Content-Length: {len(body)}"]
        head += [f"{k}: {v}" for k, v in headers.items()]
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        try:
            return await asyncio.wait_for(self._answer(), self.timeout)
        except BaseException:
            self.close()
            raise

    async def _answer(self):
        status_line = await self.reader.readuntil(b"\r\n")
        status = int(status_line.split()[1])
        length, chunked, close = 0, False, False
        while True:
            line = await self.reader.readuntil(b"\r\n")
            if line == b"\r\n":
                break
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding" and "chunked" in value.lower():
                chunked = True
            elif name == "connection" and value.lower() == "close":
                close = True
        if chunked:
            body = b""
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                body += await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        else:
            body = await self.reader.readexactly(length)
        if close:
            self.close()
        return status, body

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def _headers(phone):
    return {"Cookie": phone["cookie"], "X-CSRFToken": phone["csrf"], "Content-Type": "application/json",
            "Accept": "application/json"}


async def autosave(spec):
    interval, duration, warmup = spec["interval"], spec["duration"], spec["warmup"]
    rng = random.Random(spec.get("seed", 7))
    latencies, statuses, errors = [], Counter(), Counter()
    span = [float("inf"), 0.0]  # first scheduled and last finished measured save
    answered = [0]  # measured saves sent and answered (not those dropped as stale)
    start = time.perf_counter() + 0.5  # every phone's first send is scheduled from here

    async def phone(index, p):
        conn = Connection(spec["host"], spec["port"], spec["timeout"])
        headers = _headers(p)
        offset = rng.uniform(0, interval)  # phones are not in step
        k = 0
        while True:
            scheduled = start + offset + k * interval
            if scheduled - start > warmup + duration:
                break
            delay = scheduled - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            elif -delay > spec["give_up"]:
                # So far behind that this save is stale: not sent, counted as an error (and the
                # run ends in bounded time even when the server cannot keep up).
                errors["behind schedule, not sent"] += 1
                if scheduled - start >= warmup:
                    latencies.append(((time.perf_counter() - scheduled) * 1000, False))
                k += 1
                continue
            card = p["cards"][k % len(p["cards"])]
            # A juror adjusting scores: new values each time, so every save writes and is audited.
            body = json.dumps({"scores": {cid: f"{rng.randint(0, tenths) / 10:.1f}" for cid, tenths in
                                          card["criteria"]}}).encode()
            try:
                status, _ = await conn.request("PUT", f"/api/v1/scorecards/{card['id']}/", headers, body)
                statuses[status] += 1
                ok = status == 200
                if not ok:
                    errors[f"status {status}"] += 1
            except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError, ValueError) as exc:
                errors[type(exc).__name__] += 1
                ok = False
            done = time.perf_counter()
            if scheduled - start >= warmup:  # the warm-up's saves are neither timed nor counted
                latencies.append(((done - scheduled) * 1000, ok))
                span[0], span[1] = min(span[0], scheduled), max(span[1], done)
                answered[0] += 1
            k += 1
        conn.close()

    cpu0, wall0 = _cpu(), time.perf_counter()
    await asyncio.gather(*(phone(i, p) for i, p in enumerate(spec["phones"])))
    wall, cpu = time.perf_counter() - wall0, _cpu() - cpu0
    times = sorted(ms for ms, _ in latencies)

    def pct(q):
        return round(times[min(len(times) - 1, int(len(times) * q))], 1) if times else None

    measured_errors = sum(1 for _, ok in latencies if not ok)
    return {"phones": len(spec["phones"]), "requests": len(latencies), "errors": measured_errors,
            "error_kinds": dict(errors), "statuses": {str(k): v for k, v in statuses.items()},
            # achieved: the measured saves over the time from the first one's schedule to the
            # last one's answer (a server that falls behind stretches it)
            "answered": answered[0],
            "rps": round(answered[0] / (span[1] - span[0]), 1) if answered[0] else 0.0, "p50_ms": pct(0.50), "p95_ms": pct(0.95),
            "p99_ms": pct(0.99), "max_ms": round(times[-1], 1) if times else None,
            "client_cpu_s": round(cpu, 2), "wall_s": round(wall, 2),
            "client_cpu_pct_of_one_core": round(100 * cpu / wall, 1)}


async def submit(spec):
    jobs, doubles = [], []  # (phone, card)
    double = set(spec.get("double", ()))
    for p in spec["phones"]:
        for card in p["cards"]:
            (doubles if card["id"] in double else jobs).append((p, card))
    random.Random(spec.get("seed", 7)).shuffle(jobs)
    # The double taps first, each pair side by side: the first connections take them at once.
    jobs = [job for pair in doubles for job in (pair, pair)] + jobs
    queue = asyncio.Queue()
    for job in jobs:
        queue.put_nowait(job)
    answers = Counter()
    per_card = {}
    gate = asyncio.Event()

    async def worker():
        conn = Connection(spec["host"], spec["port"], spec["timeout"])
        await gate.wait()
        while not queue.empty():
            p, card = queue.get_nowait()
            body = json.dumps({"scores": {cid: f"{tenths // 2 / 10:.1f}" for cid, tenths in card["criteria"]}}).encode()
            try:
                status, _ = await conn.request("POST", f"/api/v1/scorecards/{card['id']}/submit/", _headers(p), body)
            except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError, ValueError) as exc:
                status = type(exc).__name__
            answers[str(status)] += 1
            per_card.setdefault(card["id"], []).append(status)
        conn.close()

    cpu0, wall0 = _cpu(), time.perf_counter()
    workers = [asyncio.create_task(worker()) for _ in range(spec["connections"])]
    gate.set()
    await asyncio.gather(*workers)
    wall, cpu = time.perf_counter() - wall0, _cpu() - cpu0
    return {"posts": len(jobs), "answers": dict(answers), "wall_s": round(wall, 2), "client_cpu_s": round(cpu, 2),
            "per_card": {str(k): v for k, v in per_card.items()}}


def main():
    spec = json.load(sys.stdin)
    result = asyncio.run(autosave(spec) if spec["mode"] == "autosave" else submit(spec))
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
