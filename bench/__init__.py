"""The benchmark suite of issue 7: ``python -m bench [--quick] [--json]``.

Benchmarks are not tests: they print figures, each a ratio taken in the same run against a
baseline (plain SQL, a bare writer, a bare authenticated view), since the machines are shared
and noisy. They need PostgreSQL and Redis on 127.0.0.1 and start gunicorn themselves.
"""
