"""Alembic environment: migrates the connection handed over by core.db, or DATABASE_URL / the embedded server."""

from alembic import context

from core import db

connection = context.config.attributes.get("connection")


def run(conn) -> None:
    context.configure(connection=conn, transactional_ddl=True)
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    run(connection)
else:
    with db.get_engine().connect() as conn:
        run(conn)
        conn.commit()
