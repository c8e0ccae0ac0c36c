"""Opening a store on PostgreSQL: the schema of the URL's ``search_path``, migrations, refusals.

The store lives in one schema (the first of ``search_path``: ``public`` unless the URL says
``?options=-csearch_path%3Dname``); a writing command creates that schema when it is missing.
A schema without the migration ledger (``schema_migrations``) holds no store: read commands
refuse it (exit 4) as they refuse a missing file. Migrations are the files
``migrations/NNNN_name.pg.sql`` (the PostgreSQL twin of each SQLite one), all pending ones in
one write transaction under the store's advisory lock, so any number of processes may open a
new store at once.
"""

from __future__ import annotations

import sqlite3

from ops_cli.errors import InvalidInput, NotFound
from ops_cli.store.backend import mask_url
from ops_cli.store.connection import Store, busy_error, is_busy, is_read_only, read_only_error
from ops_cli.store.pg import PG

#: Tables that mark a schema as an ops store (of any version).
_OURS = frozenset({"meta", "schema_migrations", "audit"})


def open_pg(url: str, busy_timeout: float = 5.0, *, must_exist: bool = False) -> Store:
    from ops_cli.store.setup import StoreUnreadable, migrate

    conn = PG.connect(url, busy_timeout)
    shown = mask_url(url)
    try:
        schema = PG.schema(conn)
        if schema is None:
            wanted = PG.wanted_schema(conn)
            if must_exist:
                raise NotFound(f"no store at {shown} (no schema {wanted}); run `ops init`")
            PG.create_schema(conn, wanted)
            schema = PG.schema(conn)
        tables = PG.tables(conn)
        if must_exist and "schema_migrations" not in tables:
            raise NotFound(f"no store at {shown} (schema {schema} holds none); run `ops init`")
        if tables and not _OURS & set(tables):
            few = ", ".join(tables[:3]) + (", ..." if len(tables) > 3 else "")
            raise InvalidInput(
                f"{shown} is not an ops store: schema {schema} holds another program's tables ({few});"
                " give another database, or a schema with ?options=-csearch_path%3Dname"
            )
        store = Store(url, conn, PG)
        migrate(store)
        store.record_changes = True  # changesets from here on, never for migrations
    except BaseException as exc:
        conn.close()
        if isinstance(exc, sqlite3.OperationalError) and is_busy(exc):
            raise busy_error(url) from None
        if isinstance(exc, sqlite3.DatabaseError) and is_read_only(exc):
            raise read_only_error(url) from None
        if isinstance(exc, sqlite3.DatabaseError):
            raise StoreUnreadable(
                f"{shown} is not a readable ops store ({exc}); run `ops db check` on it"
            ) from None
        raise
    return store
