"""`ops sub import`: writing the checked staged rows (the staging table and its checks are in
:mod:`.imports_sub`): set-based, with their audit records and row changes."""

from __future__ import annotations

from typing import Any

from ops_cli.store import Store, changes
from ops_cli.store.audit import audit_select
from ops_cli.store.imports_sub import SUB_STAGE, sub_rows_sql, sub_stage_counts


def _sub_after(fields: str, form: str | None, confirm_reset: bool, was: str) -> tuple[str, list[Any]]:
    """The ``after`` JSON of a written row (``form_r30`` / ``reset_confirmed`` as the rules added)."""
    expr, params = f"json_object({fields})", []
    if form:
        expr = (
            f"CASE WHEN t.kind = 'standby' AND t.status = 'active' AND {was} IS NOT 'active'"
            f" THEN json_set({expr}, '$.form_r30', ?) ELSE {expr} END"
        )
        params.append(form)
    if confirm_reset:
        expr = (
            f"CASE WHEN t.status = 'terminated' AND {was} IS NOT 'terminated'"
            f" THEN json_set({expr}, '$.reset_confirmed', json('true')) ELSE {expr} END"
        )
        params += params  # (the expression above holds the form's one twice)
    return expr, params


def sub_stage_write(
    store: Store,
    head: tuple[Any, ...],
    at: str,
    *,
    form: str | None,
    confirm_reset: bool,
    counts: dict[str, int] | None = None,
    fresh: bool = False,
    span: tuple[int, int] | None = None,
) -> None:
    """Write the staged creates and updates, each with its audit record (before/after), set-based.
    ``counts`` (:func:`sub_stage_counts`, or :func:`sub_stage_merge`'s, which also tells how many
    rows move to another TEI: ``moved``; ``ends``: 0 when no row of the file names the status
    ``terminated``) lets the steps no row needs be skipped;
    ``fresh``: see :func:`sub_rows_sql`; ``span``: :attr:`SubSurvey.span` (the created rows are then
    those in it)."""
    if counts is None:
        counts = sub_stage_counts(store)
    if counts.get("update"):
        moves, ends = counts.get("moved", 1) > 0, counts.get("ends", 1) > 0
        _sub_write_updates(
            store, head, at, form=form, confirm_reset=confirm_reset, moves=moves, terminations=ends
        )
    if counts.get("create"):
        _sub_write_creates(store, head, at, form=form, confirm_reset=confirm_reset, fresh=fresh, span=span)


def _sub_write_updates(
    store: Store,
    head: tuple[Any, ...],
    at: str,
    *,
    form: str | None,
    confirm_reset: bool,
    moves: bool,
    terminations: bool,
) -> None:
    four = "'kind', {p}.kind, 'msisdn', {p}.msisdn, 'status', {p}.status, 'tei', {p}.tei"
    after, params = _sub_after(four.format(p="t"), form, confirm_reset, "s.status")
    audit_select(
        store,
        head,
        "sub.update",
        f"SELECT 'sub:' || t.issi AS object, json_object({four.format(p='s')}) AS before, {after} AS after"
        f" FROM {SUB_STAGE} t JOIN subscriptions s ON s.issi = t.issi WHERE t.ok = 1 AND t.act = 'update'",
        params,
        order="t.row",
    )
    changed = (
        f"SELECT t.issi FROM {SUB_STAGE} t JOIN subscriptions s ON s.issi = t.issi"
        " WHERE t.ok = 1 AND t.act = 'update'"
    )
    updated = f"FROM {SUB_STAGE} t WHERE t.ok = 1 AND t.act = 'update'"
    with changes.bulk(store, "subscriptions") as rows:
        # TEIs moving between subscriptions of one file never collide: unbind the moving ones first.
        if moves:
            moving = f"{changed} AND t.tei IS NOT s.tei"
            rows.update(
                f"UPDATE subscriptions SET tei = NULL, updated_at = ? WHERE issi IN ({moving})",
                (at,),
                f"FROM subscriptions r WHERE r.issi IN ({moving})",  # (by the file's ISSIs, not a scan)
            )
        # A subscription the file terminates keeps its TEI, which another row of the file may take
        # (the checks let it): those are terminated first, so that no TEI is live twice meanwhile.
        ending = f"{changed} AND t.status = 'terminated' AND s.status <> 'terminated' AND t.tei = s.tei"
        ends = terminations and store.one(f"SELECT 1 FROM ({ending}) e LIMIT 1") is not None
        if ends:
            rows.update(
                f"UPDATE subscriptions SET status = 'terminated', updated_at = ? WHERE issi IN ({ending})",
                (at,),
                f"FROM subscriptions r WHERE r.issi IN ({ending})",
            )
        # Every row marked `update` differs from the store in a merged value: each one changes
        # (unless it was terminated just now: then the images are compared).
        main = rows.update if ends else rows.update_known
        main(
            "UPDATE subscriptions SET tei = t.tei, msisdn = t.msisdn, kind = t.kind, status = t.status,"
            f" updated_at = ? FROM {SUB_STAGE} t"
            " WHERE t.issi = subscriptions.issi AND t.ok = 1 AND t.act = 'update'",
            (at,),
            f"FROM subscriptions r WHERE r.issi IN (SELECT t.issi {updated})",
            (),
        )


def _sub_write_creates(
    store: Store,
    head: tuple[Any, ...],
    at: str,
    *,
    form: str | None,
    confirm_reset: bool,
    fresh: bool,
    span: tuple[int, int] | None,
) -> None:
    p = sub_rows_sql(fresh)
    # The new rows read back for their row changes: by the file's ISSIs, or as a range of ISSIs
    # when the store held none in it (a range read, no set of a million ISSIs to build).
    created = f"FROM subscriptions r WHERE r.issi IN (SELECT t.issi FROM {SUB_STAGE} t WHERE {p['creates']})"
    created_params: tuple[int, ...] = ()
    if span is not None:
        created, created_params = "FROM subscriptions r WHERE r.issi BETWEEN ? AND ?", span
    with changes.bulk(store, "subscriptions") as rows:
        rows.insert(
            "INSERT INTO subscriptions (issi, customer, tei, msisdn, kind, status, created_at, updated_at)"
            f" SELECT t.issi, t.customer, t.tei, t.msisdn, {p['kind']}, {p['status']}, ?, ?"
            f" FROM {SUB_STAGE} t WHERE {p['creates']}"
            " ORDER BY t.issi",  # the key's order, the staging table's own (no sort)
            (at, at),
            created,
            created_params,
        )
    fields = f"'customer', t.customer, 'issi', t.issi, 'kind', {p['kind']}, 'msisdn', t.msisdn,"
    after, params = _sub_after(f"{fields} 'status', {p['status']}, 'tei', t.tei", form, confirm_reset, "NULL")
    audit_select(
        store,
        head,
        "sub.create",
        f"SELECT 'sub:' || t.issi AS object, NULL AS before, {after} AS after"
        f" FROM {SUB_STAGE} t WHERE {p['creates']}",
        params,
        order="t.row",
    )
