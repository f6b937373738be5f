"""Alembic runs migrations on the engine that storage.database hands it (never from an .ini URL)."""

from alembic import context

from studio.storage.schema import managed, metadata

engine = context.config.attributes["engine"]
with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,
        include_name=managed,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
