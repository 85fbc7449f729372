"""``python -m bench [--quick] [--json] [--only awards,exports,http,hall,pages,celery]``: run the benchmarks.

Sets up what they need: drops and recreates the PostgreSQL database ``unionproj_bench``
(``BENCH_DB_NAME``), migrates it, seeds a fixed data set, uses Redis db 9 (``BENCH_REDIS_DB``),
for the HTTP figures serves the app with gunicorn on a free loopback port, and for the Celery
figures starts a worker process on a queue of its own (both stopped at the end)."""

import argparse
import os
import platform
import sys
import time

from . import env

GROUPS = ("awards", "exports", "http", "hall", "pages", "celery")
# Run by default: ``http`` (the bare view and the project list at one size) is measured again by
# ``hall`` (the bare view beside the autosave) and ``pages`` (the list at three sizes).
DEFAULT_GROUPS = ("awards", "exports", "hall", "pages", "celery")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small version (under a minute)")
    parser.add_argument("--json", action="store_true", help="one JSON object per figure per line")
    parser.add_argument("--only", default=",".join(DEFAULT_GROUPS), help="comma-separated subset of " + ",".join(GROUPS))
    args = parser.parse_args(argv)
    groups = [g for g in args.only.split(",") if g]
    unknown = set(groups) - set(GROUPS)
    if unknown:
        parser.error(f"unknown group(s): {', '.join(sorted(unknown))}")

    started = time.perf_counter()
    env.apply()
    env.recreate_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)

    from .figures import Figure
    from .seed import World

    world = World()
    setup_s = round(time.perf_counter() - started, 1)
    emit = (lambda f: print(f.line(), flush=True)) if args.json else (lambda f: print(f.human(), flush=True))
    if not args.json:
        import django as dj

        print(f"# bench {'--quick' if args.quick else '(full)'}: nproc={os.cpu_count()} "
              f"python={platform.python_version()} django={dj.get_version()}", flush=True)
    failed = False
    emit(Figure("bench.setup.wall_s", setup_s, "s"))
    for group in groups:
        if group == "awards":
            from . import award_bench as module
        elif group == "exports":
            from . import export_bench as module
        elif group == "celery":
            from . import celery_bench as module
        elif group == "pages":
            from . import pages_bench as module
        elif group == "hall":
            from . import hall_bench as module
        else:
            from . import http_bench as module
        group_started = time.perf_counter()
        try:
            for figure in module.run(world, args.quick):
                emit(figure)
                failed |= figure.ok is False
        except Exception as exc:  # noqa: BLE001 — a broken group must not hide the others' figures
            emit(Figure(f"{group}.error", 1, repr(exc)[:200], "", False))
            failed = True
        emit(Figure(f"bench.{group}.wall_s", round(time.perf_counter() - group_started, 1), "s"))
    emit(Figure("bench.wall_s", round(time.perf_counter() - started, 1), "s"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
