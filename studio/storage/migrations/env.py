"""Alembic runs migrations on the engine that storage.database hands it (never from an .ini URL)."""

from alembic import context

from studio.storage.schema import UNMANAGED_TABLES, metadata


def include_name(name: str | None, type_: str, _parent: object = None) -> bool:
    return not (type_ == "table" and name is not None and name.startswith(UNMANAGED_TABLES))


engine = context.config.attributes["engine"]
with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
