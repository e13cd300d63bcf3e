"""Gets a database ready for the app: start the embedded server, migrate, load demo data on first start.

With DATABASE_URL the server is someone else's: it is only checked (schema at head), never migrated
or filled implicitly. `python -m core.bootstrap` is what `make run` calls before Streamlit starts."""

from __future__ import annotations

import argparse
import logging

from sqlalchemy import Engine, text

from core import db
from core.config import get_settings

log = logging.getLogger("ordersight.bootstrap")


def has_distributors(engine: Engine) -> bool:
    with engine.connect() as conn:
        return conn.execute(text("select exists (select 1 from distributors)")).scalar_one()


def prepare(load_demo: bool = True) -> Engine:
    """Returns a ready engine. Embedded: migrated, with demo data when empty. External: schema checked."""
    engine = db.ready_engine()
    if get_settings().database_url:
        return engine
    if load_demo and not has_distributors(engine):
        import demo  # the one way between the two: bootstrap loads demo data, demo never imports bootstrap

        log.warning("Empty embedded database: loading demo data (about 15 seconds, once)")
        demo.generate_and_load(engine, progress=print)
    return engine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--migrate-only", action="store_true", help="migrate, load no demo data")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    if args.migrate_only:
        db.migrate()
        print("Database migrated to", db.schema_status()[1])
        return
    prepare()
    print("Database ready.")


if __name__ == "__main__":
    main()
