"""SQLite SQL text as PostgreSQL runs it, and rows that behave as :class:`sqlite3.Row`.

The store modules write one SQL text for both backends; :func:`translate` turns it into
PostgreSQL's once per text (cached): placeholders (``?``, ``?NNN``, ``:name``, ``%`` escaped),
``LIKE`` case-insensitive as SQLite's, ``IS ?`` null-safe, ``INSERT OR IGNORE``, ``main.``/
``temp.`` prefixes, ``rowid`` (the hidden ``ops_rid``, see :mod:`.pg_changes`), SQLite's JSON
functions, ``group_concat`` (given its separator), a set passed as a JSON array, subqueries
without an alias, 64-bit ``INTEGER``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# ====================================================================== SQL translation
_TOKEN = re.compile(
    r"""'(?:[^']|'')*'            # a string literal
      | "(?:[^"]|"")*"            # a quoted identifier
      | --[^\n]*                  # a comment
      | \x01                      # ? holding a JSON array, used as a set (see _JSON_SET)
      | \?(\d+)?                  # ?  or ?NNN
      | (?<![:\w]):([A-Za-z_]\w*) # :name
      | %                         # a literal percent sign
    """,
    re.VERBOSE,
)

_REWRITES = [
    (re.compile(r"\bINSERT\s+OR\s+IGNORE\s+INTO\b", re.I), "INSERT INTO"),
    (re.compile(r"\bLIKE\b", re.I), "ILIKE"),
    (re.compile(r"\bIS\s+NOT\s+(?!NULL\b|TRUE\b|FALSE\b|DISTINCT\b)", re.I), "IS DISTINCT FROM "),
    (re.compile(r"\bIS\s+(?!NOT\b|NULL\b|TRUE\b|FALSE\b|DISTINCT\b)", re.I), "IS NOT DISTINCT FROM "),
    (re.compile(r"\bmain\.(?=[\"\w\x00])"), ""),
    (re.compile(r"\btemp\.(?=[\"\w\x00])"), "pg_temp."),
    (re.compile(r"\bifnull\s*\(", re.I), "COALESCE("),
    # SQLite's INTEGER is 64-bit and its REAL double: PostgreSQL's are not (int4, float4).
    (re.compile(r"\bAS\s+INTEGER\s*\)", re.I), "AS BIGINT)"),
    (re.compile(r"\bAS\s+REAL\s*\)", re.I), "AS DOUBLE PRECISION)"),
    (re.compile(r"\)\s*WITHOUT\s+ROWID\b", re.I), ")"),
    (re.compile(r"\browid\b", re.I), "ops_rid"),  # the hidden row id (pg_changes.py)
    (re.compile(r"\bjson_object\s*\(", re.I), "jsonb_build_object("),
    (re.compile(r"\bjson_group_object\s*\(", re.I), "jsonb_object_agg("),
    (re.compile(r"\bjson\s*\(", re.I), "jsonb("),
    (re.compile(r"\bgroup_concat\s*\(", re.I), "string_agg("),  # always with a separator
]


#: Tables whose key is an ``id`` the store hands out (identity columns on PostgreSQL): an
#: ``INSERT ... VALUES`` into one returns the id, so ``cursor.lastrowid`` works as on SQLite.
ID_TABLES = frozenset(
    {
        "audit", "cases", "case_entries", "case_events", "case_grants", "case_callbacks",
        "change_orders", "swap_shipments", "swap_repairs", "sla_code_tries", "service_orders",
        "report_orders", "changesets", "row_changes",
    }
)  # fmt: skip
_INSERT_VALUES = re.compile(r"\s*INSERT\s+INTO\s+\"?(\w+)\"?\s*(?:\([^)]*\))?\s*VALUES\b", re.I)


#: ``x IN (SELECT value FROM json_each(?))`` (a set passed as one JSON array): ``x = ANY(?)``
#: with the array given as a PostgreSQL array literal.
_JSON_SET = re.compile(r"\b(NOT\s+)?IN\s*\(\s*SELECT\s+value\s+FROM\s+json_each\s*\(\s*\?\s*\)\s*\)", re.I)


def pg_array(text: str) -> str:
    """A JSON array's text as a PostgreSQL array literal (typed by the column it meets)."""
    import json

    items = []
    for item in json.loads(text):
        if item is None:
            items.append("NULL")
        else:
            value = str(int(item)) if isinstance(item, bool) else str(item)
            items.append('"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return "{" + ",".join(items) + "}"


_SUBQUERY = re.compile(r"\b(?:FROM|JOIN)\s*\(\s*(?:SELECT|WITH|VALUES)\b", re.I)
_NOT_ALIAS = re.compile(
    r"\s*(?:$|[),;]|(?:WHERE|GROUP|ORDER|LIMIT|OFFSET|UNION|EXCEPT|INTERSECT|JOIN|LEFT|RIGHT|INNER|FULL"
    r"|CROSS|NATURAL|ON|HAVING|WINDOW|RETURNING)\b)",
    re.I,
)


def _alias_subqueries(body: str) -> str:
    """PostgreSQL (before 16) wants an alias for every subquery in FROM; SQLite does not."""
    ends = []
    for match in _SUBQUERY.finditer(body):
        depth, end = 0, len(body) - 1
        for end in range(body.index("(", match.start()), len(body)):
            if body[end] == "(":
                depth += 1
            elif body[end] == ")":
                depth -= 1
                if depth == 0:
                    break
        if _NOT_ALIAS.match(body, end + 1):
            ends.append(end + 1)
    for n, end in enumerate(sorted(ends, reverse=True), 1):
        body = body[:end] + f" AS ops_sq{n}" + body[end:]
    return body


def _as_text(body: str, call: str) -> str:
    """Every ``call(...)`` followed by ``::text`` (JSON is text in the store, as on SQLite)."""
    out, start = [], 0
    while (at := body.find(call, start)) >= 0:
        depth = 0
        for i in range(at + len(call) - 1, len(body)):
            if body[i] == "(":
                depth += 1
            elif body[i] == ")":
                depth -= 1
                if depth == 0:
                    break
        out.append(body[start : i + 1] + "::text")
        start = i + 1
    out.append(body[start:])
    return "".join(out)


_DDL = re.compile(r"^\s*(?:(?:CREATE|ALTER|DROP)\s+(?!TEMP)|ROLLBACK\b)", re.I)


class Translated:
    __slots__ = ("sql", "order", "named", "arrays", "rid", "ddl")

    def __init__(self, sql: str, order: tuple[int, ...] | None, named: bool, arrays: tuple[int, ...]):
        self.sql = sql
        self.rid = "ops_rid" in sql  # the statement names the hidden row id: rows keep it
        self.ddl = _DDL.match(sql) is not None  # it may change the schema (or take a change back)
        self.order = order  # ?NNN: the 1-based parameter numbers in their order of use
        self.named = named
        self.arrays = arrays  # positions of JSON-array parameters to give as array literals

    def params(self, params: Any) -> Any:
        if params is None:
            return ()
        if self.order is not None:
            params = [params[i - 1] for i in self.order]
        if self.arrays:
            params = list(params)
            for i in self.arrays:
                params[i] = pg_array(params[i])
        return params


@lru_cache(maxsize=4096)
def translate(sql: str) -> Translated:
    """SQLite SQL text → PostgreSQL (psycopg ``%s`` placeholders); cached per text."""
    literals: list[str] = []
    order: list[int] = []
    arrays: list[int] = []
    numbered = False
    named = False

    def token(match: re.Match[str]) -> str:
        nonlocal numbered, named
        text = match.group(0)
        if text == "%":
            return "%%"
        if text == "\x01":
            arrays.append(len(order))
            order.append(len(order) + 1)
            return "%s"
        if text.startswith("?"):
            if match.group(1):
                numbered = True
                order.append(int(match.group(1)))
            else:
                order.append(len(order) + 1)
            return "%s"
        if text.startswith(":"):
            named = True
            return f"%({match.group(2)})s"
        if text.startswith("--"):
            return " "
        literals.append(text.replace("%", "%%"))
        return f"\x00{len(literals) - 1}\x00"

    sql = _JSON_SET.sub(lambda m: "<> ALL(\x01)" if m.group(1) else "= ANY(\x01)", sql)
    body = _TOKEN.sub(token, sql)
    ignore = bool(re.search(r"\bINSERT\s+OR\s+IGNORE\b", body, re.I))
    for pattern, replacement in _REWRITES:
        body = pattern.sub(replacement, body)
    if _SUBQUERY.search(body):
        body = _alias_subqueries(body)
    if "jsonb_build_object(" in body:
        body = _as_text(body, "jsonb_build_object(")
    if ignore and not re.search(r"\bON\s+CONFLICT\b", body, re.I):
        body = body.rstrip().rstrip(";") + " ON CONFLICT DO NOTHING"
    insert = _INSERT_VALUES.match(body)
    if insert and insert.group(1).lower() in ID_TABLES and not re.search(r"\bRETURNING\b", body, re.I):
        body = body.rstrip().rstrip(";") + " RETURNING id"  # for cursor.lastrowid
    body = re.sub(r"\x00(\d+)\x00", lambda m: literals[int(m.group(1))], body)
    return Translated(body, tuple(order) if numbered else None, named, tuple(arrays))


# ====================================================================== rows
@lru_cache(maxsize=512)
def row_class(names: tuple[str, ...]) -> type:
    """A tuple subclass for rows with these column names, as :class:`sqlite3.Row` behaves."""
    index: dict[str, int] = {}
    for i, name in enumerate(names):
        index.setdefault(name, i)
        index.setdefault(name.lower(), i)
    getitem = tuple.__getitem__

    class Row(tuple):
        __slots__ = ()
        _names = names

        def __getitem__(self, key: Any) -> Any:
            if isinstance(key, str):
                try:
                    return getitem(self, index[key])
                except KeyError:
                    try:
                        return getitem(self, index[key.lower()])
                    except KeyError:
                        raise IndexError("No item with that key") from None
            return getitem(self, key)

        def keys(self) -> list[str]:
            return list(names)

    return Row


def _row_factory(cursor: Any) -> Any:
    """Rows as :class:`sqlite3.Row`; the hidden ``ops_rid`` column of ``SELECT *`` left out."""
    description = cursor.description
    if description is None:
        return tuple
    names = tuple(col.name for col in description)
    if "ops_rid" in names:
        keep = [i for i, name in enumerate(names) if name != "ops_rid"]
        cls = row_class(tuple(names[i] for i in keep))
        return lambda values: cls([values[i] for i in keep])
    return row_class(names)


def _row_factory_rid(cursor: Any) -> Any:
    """Rows as :class:`sqlite3.Row`, ``ops_rid`` kept (the statement asked for ``rowid``)."""
    description = cursor.description
    if description is None:
        return tuple
    return row_class(tuple(col.name for col in description))
