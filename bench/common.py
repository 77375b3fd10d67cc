"""What the benchmarks share: their PostgreSQL database, the in-process set-up with the demo, and the table
their figures are printed in.

Imported as ``common``: Python puts bench/ on sys.path when a benchmark runs as a script.
"""

from __future__ import annotations

import logging
import os
import secrets
import sys
import time
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit


def postgres_connection(database_url: str, dbname: str | None = None):
    """An autocommit connection to DATABASE_URL's server: to ``dbname``, or to its own database."""
    import psycopg

    url = urlsplit(database_url)
    return psycopg.connect(
        host=url.hostname or None,
        port=url.port or None,
        user=unquote(url.username) if url.username else None,
        password=unquote(url.password) if url.password else None,
        dbname=dbname or database_name(database_url),
        autocommit=True,
    )


def database_name(database_url: str) -> str:
    return unquote(urlsplit(database_url).path.lstrip("/"))


def ensure_postgres_database(database_url: str, script: str) -> bool:
    """Create DATABASE_URL's database when it is missing; True when it was created. Stops ``script`` with
    one line when the server cannot be reached."""
    import psycopg
    from psycopg import sql

    name = database_name(database_url)
    try:
        with postgres_connection(database_url, "postgres") as server:
            if server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                return False
            server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return True
    except psycopg.OperationalError as error:
        sys.exit(f"{script} cannot reach PostgreSQL for DATABASE_URL: {error}")


def print_table(title: str, rows: list[tuple[str, str, str]], notes: Iterable[str] = ()) -> None:
    """Rows of (measure, figure, goal), aligned, then the notes."""
    print(title)
    width = max(len(row[0]) for row in rows)
    figure_width = max(10, *(len(row[1]) for row in rows))
    print(f"{'measure':<{width}}  {'figure':>{figure_width}}  goal")
    for name, figure, goal in rows:
        print(f"{name:<{width}}  {figure:>{figure_width}}  {goal}")
    for note in notes:
        print(note)
    print(flush=True)


POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql"}


def embedded_environment(script: str) -> str:
    """The environment of a benchmark run in-process: tasks eager (no broker), DEBUG off unless set; the
    PostgreSQL database of ``DATABASE_URL`` created when missing. Returns a description of the database."""
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(64))
    os.environ.setdefault("EMAIL_URL", "console://")  # with DEBUG off it must be said
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innovasi.settings")
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return "SQLite var/db.sqlite3 (embedded default)"
    parts = urlsplit(url)
    if parts.scheme in POSTGRES_SCHEMES:
        ensure_postgres_database(url, script)
        return f"PostgreSQL {parts.hostname}:{parts.port or 5432}/{unquote(parts.path.lstrip('/'))}"
    return f"{parts.scheme} {parts.path}"


def django_with_demo() -> str:
    """django.setup(), migrate, and seed the demo when its region is missing; says what was done."""
    import django

    django.setup()
    import yaml
    from django.core.management import call_command

    from innovasi.accounts.demo import DEMO_FILE
    from innovasi.accounts.models import Region

    call_command("migrate", interactive=False, verbosity=0)
    code = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))["region"]["code"]
    if Region.objects.filter(code=code).exists():
        return "demo region present"
    started = time.perf_counter()
    logging.disable(logging.INFO)  # the eager recomputes log a line each
    try:
        with open(os.devnull, "w") as quiet:
            call_command("seed_demo", stdout=quiet)
    finally:
        logging.disable(logging.NOTSET)
    return f"demo seeded now ({time.perf_counter() - started:.0f} s)"
