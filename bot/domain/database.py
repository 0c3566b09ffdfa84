"""Where the question log lives: an SQLite file under DATA_DIR (the embedded default) or a
PostgreSQL server shared by any number of bot processes (DATABASE_URL).

One SQLAlchemy engine (a connection pool, the PostgreSQL driver) per process; statements run
straight on its connections (`Statements`); `bot.domain.question_log` holds every one. The
migrations are written once, in SQLite's words; `for_postgresql` translates their few
SQLite-only types, so both backends get one schema from one numbered list.
"""

from __future__ import annotations

import functools
import re
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import sqlalchemy.exc
from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError

__all__ = ["Database", "DatabaseError", "IntegrityError", "OperationalError", "Statements",
           "database_url"]

SQLITE_FILENAME = "questions.sqlite3"
# Any constant both sides agree on: the key of the advisory lock migrations run under.
MIGRATION_LOCK_KEY = 0x686F6964  # "hoid"
SQLITE_BUSY_TIMEOUT_MS = 5000  # a writer in another process finishes well within this
POSTGRES_CONNECT_TIMEOUT_S = 10


class DatabaseError(ValueError):
    """DATABASE_URL names no database this bot can use."""


def database_url(configured: str, data_dir: Path) -> URL:
    """The SQLAlchemy URL of DATABASE_URL: empty means the SQLite file under DATA_DIR, as
    before; `postgresql://` (or `postgres://`) is served by psycopg 3."""
    if not configured.strip():
        return URL.create("sqlite", database=str(data_dir / SQLITE_FILENAME))
    try:
        url = make_url(configured.strip())
    except ArgumentError:
        raise DatabaseError("DATABASE_URL is not a URL: use sqlite:///path/to/file.sqlite3 "
                            "or postgresql://user:password@host:5432/dbname") from None
    backend = url.get_backend_name()
    if backend == "sqlite":
        if not url.database or url.database == ":memory:":
            raise DatabaseError("DATABASE_URL=sqlite:// needs a file (sqlite:///path/to/file); "
                                "an in-memory database would lose every question at exit")
        return url
    if backend in ("postgresql", "postgres"):
        if url.get_driver_name() not in ("psycopg", "postgres", "postgresql", "psycopg2"):
            raise DatabaseError(f"DATABASE_URL: the driver {url.get_driver_name()!r} is not "
                                "supported; write postgresql://...")
        if not url.database:
            raise DatabaseError("DATABASE_URL names no database: postgresql://user@host/dbname")
        return url.set(drivername="postgresql+psycopg")
    raise DatabaseError(f"DATABASE_URL: {backend!r} is not supported; use sqlite:///... or "
                        "postgresql://...")


class IntegrityError(Exception):
    """A constraint refused the statement (a duplicate key, a CHECK)."""


class OperationalError(Exception):
    """The database could not be reached or could not do the work (down, locked too long)."""


_INTEGRITY = (sqlite3.IntegrityError, psycopg.IntegrityError)
_UNAVAILABLE = (sqlite3.OperationalError, psycopg.OperationalError, psycopg.InterfaceError,
                sqlalchemy.exc.DBAPIError)
_NAMED = re.compile(r"(?<![:\w]):(\w+)")


@functools.lru_cache(maxsize=1024)
def _pyformat(sql: str) -> str:
    """`:name` placeholders (SQLite's) as psycopg's `%(name)s`; a literal % doubled."""
    return _NAMED.sub(r"%(\1)s", sql.replace("%", "%%"))


class Statements:
    """Statements on one pooled connection, with `:name` placeholders on both databases.
    Straight on the driver: SQLAlchemy's result machinery cost more than the statements."""

    def __init__(self, connection: Any, dialect: str) -> None:
        self._connection = connection
        self._postgresql = dialect == "postgresql"

    def _run(self, sql: str, args: Mapping[str, object] | None) -> Any:
        cursor = self._connection.cursor()
        try:
            if args is None:
                cursor.execute(sql)
            else:
                cursor.execute(_pyformat(sql) if self._postgresql else sql, args)
        except _INTEGRITY as error:
            raise IntegrityError(str(error)) from error
        except _UNAVAILABLE as error:
            raise OperationalError(str(error)) from error
        return cursor

    def rows(self, sql: str, args: Mapping[str, object] | None = None) -> list[dict[str, Any]]:
        cursor = self._run(sql, args if args is not None else {})
        if cursor.description is None:
            return []
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def scalar(self, sql: str, args: Mapping[str, object] | None = None) -> Any:
        """The first column of the first row, or None."""
        rows = self._run(sql, args if args is not None else {}).fetchall()
        return rows[0][0] if rows else None

    def change(self, sql: str, args: Mapping[str, object] | None = None) -> int:
        """How many rows an INSERT, UPDATE or DELETE touched."""
        return self._run(sql, args if args is not None else {}).rowcount

    def many(self, sql: str, args: Sequence[Mapping[str, object]]) -> None:
        cursor = self._connection.cursor()
        try:
            cursor.executemany(_pyformat(sql) if self._postgresql else sql, args)
        except _INTEGRITY as error:
            raise IntegrityError(str(error)) from error
        except _UNAVAILABLE as error:
            raise OperationalError(str(error)) from error

    def script(self, sql: str) -> None:
        """One statement without parameters, as written (migrations)."""
        self._run(sql, None)


class Database:
    """A pool of connections (SQLAlchemy's) with the two transactions the log needs: `read`
    and `write` (which, on SQLite, takes the write lock at BEGIN, so two processes never
    deadlock upgrading a read to a write)."""

    def __init__(self, url: URL) -> None:
        self.url = url
        self.dialect = "sqlite" if url.get_backend_name() == "sqlite" else "postgresql"
        if self.dialect == "sqlite":
            Path(url.database or "").parent.mkdir(parents=True, exist_ok=True)
            self.engine = _sqlite_engine(url)
        else:
            self.engine = create_engine(
                url, pool_pre_ping=True, pool_size=8, max_overflow=16,
                connect_args={"connect_timeout": POSTGRES_CONNECT_TIMEOUT_S})
        self._write_lock = threading.Lock() if self.dialect == "sqlite" else None

    @property
    def path(self) -> Path | None:
        """The SQLite file, or None on PostgreSQL."""
        return Path(self.url.database) if self.dialect == "sqlite" and self.url.database else None

    @contextmanager
    def _connection(self) -> Iterator[Any]:
        try:
            connection = self.engine.raw_connection()
        except _UNAVAILABLE as error:
            raise OperationalError(str(getattr(error, "orig", None) or error)) from error
        try:
            yield connection
        finally:
            connection.close()  # back to the pool, rolled back if anything was left open

    @contextmanager
    def read(self) -> Iterator[Statements]:
        """Reads: SQLite in autocommit; PostgreSQL in a transaction rolled back at the end."""
        with self._connection() as connection:
            yield Statements(connection, self.dialect)

    @contextmanager
    def write(self) -> Iterator[Statements]:
        """One transaction, committed at the end of the block (rolled back on an error)."""
        if self._write_lock is None:
            with self._connection() as connection:
                yield Statements(connection, self.dialect)
                connection.commit()
            return
        # SQLite: this process's writers queue here, on a mutex; only other processes meet
        # the busy timeout, whose retries sleep for milliseconds at a time.
        with self._write_lock, self._connection() as connection:
            statements = Statements(connection, self.dialect)
            statements.script("BEGIN IMMEDIATE")
            try:
                yield statements
            except BaseException:
                statements.script("ROLLBACK")
                raise
            statements.script("COMMIT")

    def migrate(self, migrations: Sequence[str]) -> int:
        """Apply the migrations not applied yet, in one transaction that re-reads the version
        under a lock, so processes starting at once never run one twice; returns the version."""
        try:
            with self._connection():
                pass
        except OperationalError as error:
            raise DatabaseError(f"cannot open the database "
                                f"{self.url.render_as_string(hide_password=True)}: "
                                f"{error}") from None
        with self.write() as db:
            if self.dialect == "postgresql":
                db.scalar("SELECT pg_advisory_xact_lock(:key)", {"key": MIGRATION_LOCK_KEY})
                db.script("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            version = self._version(db)
            for number, script in enumerate(migrations[version:], start=version + 1):
                if self.dialect == "postgresql":
                    script = for_postgresql(script)
                for statement in statements(script):
                    db.script(statement)
                self._set_version(db, number)
            return max(version, len(migrations))

    def schema_version(self) -> int:
        with self.read() as db:
            return self._version(db)

    def _version(self, db: Statements) -> int:
        if self.dialect == "sqlite":
            return int(db.scalar("PRAGMA user_version"))
        return int(db.scalar("SELECT coalesce(max(version), 0) FROM schema_version"))

    def _set_version(self, db: Statements, number: int) -> None:
        if self.dialect == "sqlite":
            db.script(f"PRAGMA user_version = {int(number)}")
        else:
            db.script("DELETE FROM schema_version")
            db.change("INSERT INTO schema_version (version) VALUES (:v)", {"v": number})

    def erase_traces(self, tables: Sequence[str]) -> None:
        """After deleting personal data. SQLite: fold the write-ahead log back and empty it
        (deleted rows are already zeroed, secure_delete). PostgreSQL: VACUUM the tables, so
        the deleted rows' space is pruned and reused; its WAL and backups still hold them
        until they rotate (README, "Privacy")."""
        with self._connection() as connection:
            if self.dialect == "sqlite":
                Statements(connection, self.dialect).script("PRAGMA wal_checkpoint(TRUNCATE)")
                return
            driver = connection.driver_connection
            driver.autocommit = True  # VACUUM cannot run inside a transaction
            try:
                Statements(connection, self.dialect).script(f"VACUUM {', '.join(tables)}")
            finally:
                driver.autocommit = False

    def close(self) -> None:
        self.engine.dispose()


def _sqlite_engine(url: URL) -> Engine:
    """SQLite as the log always used it: WAL, a busy timeout, deleted rows overwritten."""
    engine = create_engine(url, pool_size=8, max_overflow=16)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # autocommit; `write` says BEGIN IMMEDIATE
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Deleted rows are overwritten with zeros, not left in free pages: erasure is real.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    return engine


_SQLITE_TO_POSTGRESQL = [
    # A rowid alias becomes an identity column; ids stay integers chosen by the database.
    (re.compile(r"\bINTEGER\s+PRIMARY\s+KEY(\s+AUTOINCREMENT)?\b", re.I),
     "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
    (re.compile(r"\bINTEGER\b", re.I), "BIGINT"),  # SQLite's are 64-bit (Telegram chat ids)
    (re.compile(r"\bREAL\b", re.I), "DOUBLE PRECISION"),  # SQLite's are 64-bit
    (re.compile(r"\bBLOB\b", re.I), "BYTEA"),
]


def for_postgresql(script: str) -> str:
    """A migration written for SQLite, in PostgreSQL's types."""
    for pattern, replacement in _SQLITE_TO_POSTGRESQL:
        script = pattern.sub(replacement, script)
    return script


def statements(script: str) -> list[str]:
    """The SQL statements of a migration script, one by one (sqlite3 knows where one ends)."""
    found, pending = [], ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--"):
            continue
        pending += line
        if sqlite3.complete_statement(pending):
            found.append(pending.strip())
            pending = ""
    return [s for s in found if s.strip(" ;\n")]
