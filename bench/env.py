"""The environment the bench runs in: a dedicated PostgreSQL database, Redis db 9, production
settings (DEBUG=0). Set before Django is imported."""

import os
import tempfile

PG_HOST = os.environ.get("BENCH_PG_HOST", "127.0.0.1")
PG_USER = os.environ.get("BENCH_PG_USER", "postgres")
# BENCH_DB_NAME / BENCH_REDIS_DB let two bench runs share a machine without clobbering each other.
DB_NAME = os.environ.get("BENCH_DB_NAME", "unionproj_bench")
DATABASE_URL = f"postgres://{PG_USER}@{PG_HOST}:5432/{DB_NAME}"
REDIS_URL = f"redis://127.0.0.1:6379/{os.environ.get('BENCH_REDIS_DB', '9')}"

STATIC_ROOT = os.path.join(tempfile.gettempdir(), f"unionproj-bench-static-{DB_NAME}")


def settings_env():
    """The variables of the app in production mode on plain-HTTP loopback."""
    return {
        "DJANGO_SETTINGS_MODULE": "unionproj.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789abcdef",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": DATABASE_URL,
        "CACHE_URL": REDIS_URL,
        "CELERY_BROKER_URL": "",
        "STATIC_ROOT": STATIC_ROOT,
        "LOG_LEVEL": "ERROR",
        "AXES_FAILURE_LIMIT": "1000",
    }


def apply():
    os.environ.update(settings_env())


def recreate_database():
    """Drop and recreate the bench database (never any other)."""
    import psycopg

    conn = psycopg.connect(host=PG_HOST, user=PG_USER, dbname="postgres", autocommit=True)
    with conn.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        cur.execute(f"CREATE DATABASE {DB_NAME}")
    conn.close()
