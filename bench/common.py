"""What the benchmarks share: their PostgreSQL database and the table their figures are printed in.

Imported as ``common``: Python puts bench/ on sys.path when a benchmark runs as a script.
"""

from __future__ import annotations

import sys
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
