"""The database half of a backup: a copy of the database and its row counts, and putting a copy back.

PostgreSQL goes through its own programs (pg_dump, pg_restore, psql: PostgreSQL's client, the server's
major version); SQLite through its backup API. Either way the copy is one consistent snapshot while the
portal keeps writing, and its row counts are of that snapshot.
"""

import os
import sqlite3
import subprocess
from contextlib import closing

from django.db import transaction

from .errors import BackupError

DATABASE_FILE = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}


def database_copy(connection, target):
    """Copy the database of ``connection`` into the file ``target``; return ({table: rows}, {app: [migrations
    applied]}) of the copy."""
    if connection.in_atomic_block:
        raise BackupError("a backup cannot run inside a transaction: it takes its own snapshot")
    if connection.vendor == "postgresql":
        return _copy_postgresql(connection, target)
    return _copy_sqlite(connection, target)


def database_replace(connection, source, *, scratch):
    """Replace the whole database of ``connection`` with the copy in ``source`` (``scratch``: a folder for
    work files); a failure leaves the database as it was."""
    if connection.in_atomic_block:
        raise BackupError("a restore cannot run inside a transaction")
    if connection.vendor == "postgresql":
        _replace_postgresql(connection, source, scratch / "restore.sql")
    else:
        _replace_sqlite(connection, source)


def database_state(connection):
    """({table: rows}, {app: [migrations applied]}) of the database as it is now."""
    with connection.cursor() as cursor:
        return _state(cursor, connection.introspection.table_names(cursor), connection.ops.quote_name)


def _state(cursor, tables, quote_name):
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote_name(table)}")
        counts[table] = cursor.fetchone()[0]
    migrations: dict[str, list[str]] = {}
    if "django_migrations" in counts:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        for app, name in cursor.fetchall():
            migrations.setdefault(app, []).append(name)
    return counts, migrations


def _copy_postgresql(connection, target):
    options, name, env = _libpq(connection.settings_dict)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        # pg_dump reads the snapshot this transaction exports: the counts below are of the very rows it dumps.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        _run(
            ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}", *options, name],
            env,
        )
        return _state(cursor, connection.introspection.table_names(cursor), connection.ops.quote_name)


def _copy_sqlite(connection, target):
    connection.ensure_connection()
    with closing(sqlite3.connect(target)) as copy:
        connection.connection.backup(copy)
        tables = [
            name
            for (name,) in copy.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
            )
        ]
        return _state(copy.cursor(), tables, connection.ops.quote_name)


def _replace_postgresql(connection, dump, script):
    options, name, env = _libpq(connection.settings_dict)
    tables = connection.introspection.table_names()
    # Hold no lock on the tables about to be dropped.
    connection.close()
    # pg_restore --clean drops only the archive's own objects: a table of another version (the archive is
    # older than the last upgrade, say) would stay, and its foreign keys would stop those drops. So pg_restore
    # writes the archive out as SQL, and psql drops every table and runs that SQL in one transaction: a
    # failure anywhere leaves the database as it was.
    _run(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-acl", f"--file={script}", str(dump)],
        env,
    )
    drop = (
        [f"--command=DROP TABLE IF EXISTS {', '.join(map(connection.ops.quote_name, tables))} CASCADE"]
        if tables
        else []
    )
    psql = [
        "psql",
        "--no-psqlrc",
        "--quiet",
        "--single-transaction",
        "--set=ON_ERROR_STOP=1",
        *drop,
        f"--file={script}",
        *options,
        f"--dbname={name}",
    ]
    try:
        _run(psql, env)
    except BackupError as error:
        raise BackupError(f"{error}\nThe database was left as it was.") from None


def _replace_sqlite(connection, source):
    connection.ensure_connection()
    with closing(sqlite3.connect(source)) as copy:
        copy.backup(connection.connection)


def _libpq(settings_dict):
    """Command-line options, database name and environment for PostgreSQL's programs from a DATABASES entry.
    The password goes only into PGPASSWORD: a command line is readable by every user of the machine."""
    options = [
        f"--{flag}={settings_dict[key]}"
        for flag, key in (("host", "HOST"), ("port", "PORT"), ("username", "USER"))
        if settings_dict.get(key)
    ]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    extra = settings_dict.get("OPTIONS") or {}
    for option, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
        ("passfile", "PGPASSFILE"),
    ):
        if extra.get(option):
            env[variable] = str(extra[option])
    return options, str(settings_dict["NAME"]), env


def _run(command, env):
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise BackupError(
            f"{command[0]} is not installed: install PostgreSQL's client programs "
            "(Debian: apt-get install postgresql-client-15)"
        ) from None
    if done.returncode:
        raise BackupError(f"{command[0]} failed (exit status {done.returncode}): {done.stderr.strip()}")
    return done
