"""Changesets on PostgreSQL: the capture triggers' equivalent of :mod:`.changes`' TEMP triggers.

SQLite follows a row by its ``rowid`` and captures with TEMP triggers made per connection.
PostgreSQL has neither, so here:

- every captured table has a hidden ``ops_rid`` column (an identity: the row's id for the
  changesets; the backend writes ``rowid`` as ``ops_rid`` and leaves the column out of
  ``SELECT *`` rows); the migrations make it in their CREATE TABLEs, a table without it gets
  it here;
- one plpgsql function, ``ops_capture()``, is the AFTER UPDATE/DELETE row trigger of every
  captured table, and ``ops_capture_rows()`` its AFTER INSERT statement trigger (the
  statement's new rows recorded in one INSERT ... SELECT from its transition table: a COPY of
  thousands of rows costs one call); they record only for a session that asked for it (the
  setting ``ops.capture``, set by :func:`prepare`), so other programs' writes and the
  migrations pass;
- the lazy changeset, the command's context and the per-table bulk opt-out use the same
  per-session TEMP tables as on SQLite (``ops_ctx``, ``ops_cs``, ``ops_bulk``), so the Python
  side of :mod:`.changes` reads them alike; ``ops_changeset()`` makes the changeset;
- audit records written without a changeset get it from a BEFORE INSERT trigger.

The functions and triggers are made once per store (and for tables added later), under the
store's write lock: one catalog query finds what is missing, one script makes it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

RID = "ops_rid"

_TEMP_TABLES = (
    "CREATE TEMP TABLE IF NOT EXISTS ops_ctx (at TEXT, command TEXT, origin TEXT)",
    "CREATE TEMP TABLE IF NOT EXISTS ops_cs (id BIGINT)",
    "CREATE TEMP TABLE IF NOT EXISTS ops_bulk (tbl TEXT PRIMARY KEY)",
)

_FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION ops_changeset() RETURNS bigint LANGUAGE plpgsql AS $f$
DECLARE
    cs bigint;
BEGIN
    SELECT id INTO cs FROM pg_temp.ops_cs;
    IF cs IS NULL THEN
        INSERT INTO changesets (at, command, origin)
        SELECT COALESCE(x.at, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"')),
               x.command, x.origin
        FROM (SELECT 1) AS one LEFT JOIN pg_temp.ops_ctx AS x ON true
        LIMIT 1
        RETURNING id INTO cs;
        INSERT INTO pg_temp.ops_cs (id) VALUES (cs);
    END IF;
    RETURN cs;
END
$f$;

-- A REAL column's whole number as SQLite writes it in JSON (499.0, not 499).
CREATE OR REPLACE FUNCTION ops_real_image(image jsonb, cols text[]) RETURNS jsonb LANGUAGE plpgsql
IMMUTABLE AS $f$
DECLARE
    c text;
BEGIN
    IF cols IS NULL OR cardinality(cols) = 0 THEN
        RETURN image;
    END IF;
    FOREACH c IN ARRAY cols LOOP
        IF jsonb_typeof(image -> c) = 'number' AND (image ->> c) !~ '[.eE]' THEN
            image := jsonb_set(image, ARRAY[c], ((image ->> c) || '.0')::jsonb);
        END IF;
    END LOOP;
    RETURN image;
END
$f$;

CREATE OR REPLACE FUNCTION ops_capture() RETURNS trigger LANGUAGE plpgsql AS $f$
DECLARE
    o jsonb;
    n jsonb;
BEGIN
    IF COALESCE(current_setting('ops.capture', true), '') <> 'on' THEN
        RETURN NULL;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_temp.ops_bulk WHERE tbl = TG_TABLE_NAME) THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO row_changes (changeset_id, tbl, op, rid, old_rid, before, after)
        VALUES (ops_changeset(), TG_TABLE_NAME, 'insert', NEW.ops_rid, NULL, NULL,
                ops_real_image(to_jsonb(NEW) - 'ops_rid', TG_ARGV)::text);
    ELSIF TG_OP = 'UPDATE' THEN
        o := ops_real_image(to_jsonb(OLD) - 'ops_rid', TG_ARGV);
        n := ops_real_image(to_jsonb(NEW) - 'ops_rid', TG_ARGV);
        IF o IS DISTINCT FROM n OR OLD.ops_rid IS DISTINCT FROM NEW.ops_rid THEN
            INSERT INTO row_changes (changeset_id, tbl, op, rid, old_rid, before, after)
            VALUES (ops_changeset(), TG_TABLE_NAME, 'update', NEW.ops_rid,
                    CASE WHEN OLD.ops_rid IS DISTINCT FROM NEW.ops_rid THEN OLD.ops_rid END,
                    o::text, n::text);
        END IF;
    ELSE
        INSERT INTO row_changes (changeset_id, tbl, op, rid, old_rid, before, after)
        VALUES (ops_changeset(), TG_TABLE_NAME, 'delete', OLD.ops_rid, NULL,
                ops_real_image(to_jsonb(OLD) - 'ops_rid', TG_ARGV)::text, NULL);
    END IF;
    RETURN NULL;
END
$f$;

-- INSERTs are recorded per statement (one INSERT ... SELECT from the statement's new rows, in
-- the order they went in), not per row: a COPY of thousands of rows costs one call.
CREATE OR REPLACE FUNCTION ops_capture_rows() RETURNS trigger LANGUAGE plpgsql AS $f$
DECLARE
    cs bigint;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM ops_new)
       OR EXISTS (SELECT 1 FROM pg_temp.ops_bulk WHERE tbl = TG_TABLE_NAME) THEN
        RETURN NULL;
    END IF;
    cs := ops_changeset();
    IF TG_NARGS = 0 THEN
        INSERT INTO row_changes (changeset_id, tbl, op, rid, old_rid, before, after)
        SELECT cs, TG_TABLE_NAME, 'insert', n.ops_rid, NULL, NULL, (to_jsonb(n) - 'ops_rid')::text
        FROM ops_new AS n;
    ELSE
        INSERT INTO row_changes (changeset_id, tbl, op, rid, old_rid, before, after)
        SELECT cs, TG_TABLE_NAME, 'insert', n.ops_rid, NULL, NULL,
               ops_real_image(to_jsonb(n) - 'ops_rid', TG_ARGV)::text
        FROM ops_new AS n;
    END IF;
    RETURN NULL;
END
$f$;

CREATE OR REPLACE FUNCTION ops_capture_audit() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
    IF NEW.changeset_id IS NULL AND COALESCE(current_setting('ops.capture', true), '') = 'on' THEN
        NEW.changeset_id := ops_changeset();
        UPDATE changesets SET actor = COALESCE(actor, NEW.actor), origin = COALESCE(origin, NEW.origin),
               business_at = COALESCE(business_at, NEW.business_at)
        WHERE id = NEW.changeset_id;
    END IF;
    RETURN NEW;
END
$f$;
"""


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def table_info(conn: Any, table: str) -> list[tuple[Any, ...]]:
    """``PRAGMA table_info`` of a table of the store's schema: (cid, name, type, notnull,
    default, pk position), without the hidden ``ops_rid``."""
    rows = conn.execute(
        "SELECT a.attnum, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,"
        " NULL, COALESCE(array_position(i.indkey::int2[], a.attnum)"
        " - array_lower(i.indkey::int2[], 1) + 1, 0)"
        " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
        " LEFT JOIN pg_index i ON i.indrelid = a.attrelid AND i.indisprimary"
        " WHERE c.relnamespace = current_schema()::regnamespace AND c.relname = ?"
        " AND a.attnum > 0 AND NOT a.attisdropped AND a.attname <> 'ops_rid'"
        " ORDER BY a.attnum",
        (table,),
    ).fetchall()
    return [
        (i, name, kind, 1 if notnull else 0, None, pk)
        for i, (_, name, kind, notnull, _d, pk) in enumerate(rows)
    ]


def schema_version(conn: Any) -> int:
    """A number that moves whenever the store's schema does (its tables and their columns).
    Asked once per connection until it runs DDL or a ROLLBACK (:class:`.pg_conn.PgConnection`
    forgets it then): the store's schema changes only through ops' own migrations."""
    known = conn.schema_mark
    if known is not None:
        return known
    row = conn.execute(
        "SELECT count(*), COALESCE(sum(a.attnum), 0), COALESCE(max(c.oid::bigint), 0) FROM pg_class c"
        " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
        " WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'"
    ).fetchone()
    conn.schema_mark = hash(tuple(row))
    return conn.schema_mark


#: Every table of the store's schema with what the capture needs: (name, has ops_rid, has the
#: capture triggers, has the trigger that keeps ops_rid equal to the key, its REAL columns,
#: its key column when that is one integer column). The migrations make ``ops_rid`` in the
#: CREATE TABLE (``*.pg.sql``); a table without it gets it here.
_CATALOG = """
SELECT c.relname,
       EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'ops_rid'
               AND NOT a.attisdropped),
       (SELECT count(*) FROM pg_trigger t WHERE t.tgrelid = c.oid
        AND t.tgname IN ('ops_capture', 'ops_capture_ins', 'ops_capture_audit')),
       EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = 'ops_rid'),
       ARRAY(SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0
             AND NOT a.attisdropped AND a.atttypid IN ('float4'::regtype, 'float8'::regtype)
             ORDER BY a.attnum),
       (SELECT a.attname::text FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid
        AND a.attnum = i.indkey[0] WHERE i.indrelid = c.oid AND i.indisprimary AND i.indnatts = 1
        AND a.atttypid IN ('int2'::regtype, 'int4'::regtype, 'int8'::regtype))
FROM pg_class c
WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
"""


def _plan(conn: Any, not_captured: frozenset[str]) -> str | None:
    """The DDL that makes what is missing (one script), "" when nothing is, None for a store
    without changesets."""
    rows = conn.execute(_CATALOG).fetchall()
    if "changesets" not in {row[0] for row in rows}:
        return None
    ddl: list[str] = []
    for table, has_rid, triggers, keyed, reals, key in sorted(rows):
        if table == "audit":
            if not triggers:
                ddl.append(
                    "CREATE OR REPLACE TRIGGER ops_capture_audit BEFORE INSERT ON audit FOR EACH ROW"
                    " WHEN (NEW.changeset_id IS NULL) EXECUTE FUNCTION ops_capture_audit();"
                )
            continue
        if table in not_captured:
            continue
        if not has_rid:  # unique only once a key table's rows carry their key
            ddl.append(f"ALTER TABLE {_q(table)} ADD COLUMN ops_rid BIGINT GENERATED BY DEFAULT AS IDENTITY;")
            if key:
                ddl.append(_rid_is_key(table, key))
            ddl.append(f"CREATE UNIQUE INDEX {_q(table + '_ops_rid')} ON {_q(table)} (ops_rid);")
        elif key and not keyed:
            ddl.append(_rid_is_key(table, key))
        if triggers < 2:
            ddl.append(_capture_triggers(table, reals))
    if ddl:
        ddl.insert(0, _FUNCTIONS)
    return "\n".join(ddl)


def _capture_triggers(table: str, reals: list[str]) -> str:
    args = ", ".join(_lit(c) for c in reals)
    # WHEN: a session that does not capture, or a bulk write that records the rows itself
    # (set_aside), costs no call of the function.
    mark = _lit("," + table + ",")
    when = (
        "current_setting('ops.capture', true) = 'on' AND"
        f" strpos(COALESCE(current_setting('ops.aside', true), ''), {mark}) = 0"
    )
    name = _q(table)
    return (
        f"CREATE OR REPLACE TRIGGER ops_capture AFTER UPDATE OR DELETE ON {name}"
        f" FOR EACH ROW WHEN ({when}) EXECUTE FUNCTION ops_capture({args});"
        f" CREATE OR REPLACE TRIGGER ops_capture_ins AFTER INSERT ON {name} REFERENCING NEW TABLE AS ops_new"
        f" FOR EACH STATEMENT WHEN ({when}) EXECUTE FUNCTION ops_capture_rows({args});"
    )


def install(store: Any, not_captured: frozenset[str]) -> bool:
    """The hidden row ids, the functions and the triggers, made where missing (one catalog
    query; the DDL, when any, in one script under the store's write lock); the session's TEMP
    tables. False for a store without changesets."""
    conn = store.conn
    if store.__dict__.get("_capture_version") is not None:
        return True
    ddl = _plan(conn, not_captured)
    if ddl is None:
        return False
    if ddl:
        store.backend.begin_write(conn)  # the store's write lock: one process makes them
        try:
            ddl = _plan(conn, not_captured)  # another process may have made them meanwhile
            if ddl:
                conn.script(ddl)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    conn.script("; ".join(_TEMP_TABLES) + "; SELECT set_config('ops.capture', 'on', false)")
    store._capture_version = 1
    return True


def _rid_is_key(table: str, key: str) -> str:
    """A table keyed by one integer column (``id``, ``issi``): its row id is that key, as
    SQLite's rowid is (a BEFORE trigger keeps ``ops_rid`` equal to it)."""
    function = _q(f"ops_rid_{table}")
    return (
        f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $f$"
        f" BEGIN NEW.ops_rid := NEW.{_q(key)}; RETURN NEW; END $f$;"
        f" CREATE OR REPLACE TRIGGER ops_rid BEFORE INSERT OR UPDATE ON {_q(table)}"
        f" FOR EACH ROW EXECUTE FUNCTION {function}();"
        f" UPDATE {_q(table)} SET ops_rid = {_q(key)} WHERE ops_rid IS DISTINCT FROM {_q(key)};"
    )


def set_aside(store: Any, table: str, aside: bool = True) -> bool:
    """``table``'s capture trigger stands aside (or back) for the rest of the transaction: a bulk
    write records its rows itself (:class:`.changes.Bulk`). A rollback puts it back too."""
    conn = store.conn
    current = conn.execute("SELECT COALESCE(current_setting('ops.aside', true), '')").fetchone()[0]
    tables = {t for t in current.split(",") if t}
    tables = tables | {table} if aside else tables - {table}
    value = "," + ",".join(sorted(tables)) + "," if tables else ""
    conn.execute("SELECT set_config('ops.aside', ?, true)", (value,))
    return True


def prepare(store: Any, command: str) -> None:
    """Before every outermost write transaction: a fresh changeset, the command's context."""
    store.conn.execute(  # one round trip
        "DELETE FROM pg_temp.ops_cs; DELETE FROM pg_temp.ops_ctx; DELETE FROM pg_temp.ops_bulk;"
        " INSERT INTO pg_temp.ops_ctx (at, command, origin) VALUES (?, ?, ?)",
        (datetime.now(UTC).isoformat(timespec="seconds"), command, store.origin),
    )


def ensure(store: Any) -> int:
    """The running changeset, made now if need be."""
    return store.conn.execute("SELECT ops_changeset()").fetchone()[0]
