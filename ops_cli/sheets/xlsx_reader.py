"""Reading .xlsx/.xlsm: which sheet, whether it is safe to load, then its rows through calamine.

**Which sheet** (``choose_sheet``): the one named by ``sheet=`` (even a hidden one: the user
asked for it by name); else the only visible worksheet; else the workbook's active sheet (the
one Excel opens on) when it is visible. Never a hidden sheet by default: a hidden sheet is
often a lookup list or an old copy. When that leaves a choice (several visible sheets and no
visible active one), the read fails listing the visible sheets.

**Bounded by the data** (``xlsx_scan``): the sheet's XML is scanned before calamine loads it,
and a sheet whose data reaches beyond ``max_rows``/``max_columns``, or whose data grid would be
mostly empty space (a stray value far from the table), is refused before anything is allocated.
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from dataclasses import dataclass

from ops_cli.sheets.cells import column_letter, fail
from ops_cli.sheets.inputs import open_input
from ops_cli.sheets.model import Source
from ops_cli.sheets.xlsx_scan import Extent, MalformedSheet, data_extent

DEFAULT_MAX_ROWS = 2_000_000
DEFAULT_MAX_COLUMNS = 200
# A data grid of more than this many cells must be at least 1/_SPARSE full: calamine allocates the
# whole grid (about 30 bytes a cell), so a few values far apart would cost gigabytes.
_MIN_GRID = 4_000_000
_SPARSE = 16
_MAX_PART = 32 << 20  # workbook.xml and its relations: bigger is not a workbook a person made
_WORKSHEET = "/worksheet"  # relationship type suffix (chart and dialog sheets are not read)
# What zipfile and ElementTree raise for a file that is not a sound workbook (RuntimeError: an
# encrypted member; NotImplementedError: an unknown compression method; ValueError: our own checks).
_BROKEN_ZIP = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    KeyError,
    ValueError,
    EOFError,
    RuntimeError,
    NotImplementedError,
)


@dataclass
class SheetEntry:
    name: str
    visible: bool
    worksheet: bool
    part: str | None  # the sheet's XML inside the zip


def xlsx_source(
    file: str,
    sheet: str | None,
    *,
    max_rows: int = DEFAULT_MAX_ROWS,
    max_columns: int = DEFAULT_MAX_COLUMNS,
    lazy: bool = False,
) -> Source:
    """Every row of the chosen sheet (from row 1), after the safety checks.

    ``lazy``: ``Source.rows`` is an iterator over calamine's rows (``sheets.stream``), not a list.
    """
    from python_calamine import CalamineWorkbook

    with open_input(file) as fh:
        try:
            with zipfile.ZipFile(fh) as book:
                sheets, active = _workbook(book)
                chosen = choose_sheet(file, sheets, active, sheet)
                part = _member(book, chosen.part)
                if part is None:  # never hand calamine a sheet that was not scanned
                    raise fail(file, f"not a spreadsheet (the data of sheet {chosen.name!r} is missing)")
                extent = data_extent(lambda: book.open(part), max_rows=max_rows, max_columns=max_columns)
                check_extent(file, chosen.name, extent, max_rows, max_columns)
        except _BROKEN_ZIP as exc:
            if isinstance(exc, MalformedSheet):
                raise fail(file, f"not a spreadsheet (broken sheet {chosen.name!r}: {exc})") from None
            raise fail(file, f"not a spreadsheet (could not open it as Excel: {exc})") from None
        except OSError as exc:
            raise fail(file, f"cannot read it: {exc.strerror or exc}") from None
        fh.seek(0)
        try:
            ws = CalamineWorkbook.from_filelike(fh).get_sheet_by_name(chosen.name)
            rows = ws.iter_rows()  # rows from the sheet's row 1; cells from the first used column
            rows = rows if lazy else list(rows)
        except (KeyboardInterrupt, SystemExit, MemoryError):
            raise
        except BaseException as exc:  # several types for a broken workbook; a Rust panic is a BaseException
            raise fail(file, f"not a spreadsheet (could not read sheet {chosen.name!r}: {exc})") from None
    source = Source(rows, ws.start[1] if ws.start else 0, False, sheet=chosen.name)
    if lazy:  # a failure while calamine's rows are read (a Rust panic is a BaseException) is one error
        source.fail = lambda exc: fail(
            file, f"not a spreadsheet (could not read sheet {chosen.name!r}: {exc})"
        )
    return source


def choose_sheet(file: str, sheets: list[SheetEntry], active: int | None, wanted: str | None) -> SheetEntry:
    """The sheet to read (see the module's notes)."""
    visible = [s for s in sheets if s.visible and s.worksheet]
    listed = ", ".join(repr(s.name) for s in visible) or "none"
    if wanted is not None:
        for entry in sheets:
            if entry.name == wanted:
                if not entry.worksheet:
                    raise fail(
                        file, f"sheet {wanted!r} is a chart, not a worksheet (visible sheets: {listed})"
                    )
                return entry
        raise fail(file, f"no sheet named {wanted!r} (visible sheets: {listed})")
    if len(visible) == 1:
        return visible[0]
    if not visible:
        hidden = [s.name for s in sheets if s.worksheet]
        if hidden:
            names = ", ".join(map(repr, hidden))
            raise fail(file, f"the workbook has no visible sheet; name a hidden one with --sheet ({names})")
        raise fail(file, "the workbook has no sheets")
    if active is not None and 0 <= active < len(sheets) and sheets[active] in visible:
        return sheets[active]
    raise fail(
        file, f"the workbook has {len(visible)} visible sheets ({listed}); choose one with --sheet NAME"
    )


def check_extent(file: str, name: str, extent: Extent, max_rows: int, max_columns: int) -> None:
    """Refuse a sheet whose data reaches too far (before calamine allocates its grid)."""
    if extent.rows > max_rows:
        raise fail(
            file,
            f"sheet {name!r} has data in row {extent.rows:,}; at most {max_rows:,} rows are read "
            "(config import.max_rows)",
        )
    if extent.columns > max_columns:
        last, allowed = column_letter(extent.columns - 1), column_letter(max_columns - 1)
        raise fail(
            file,
            f"sheet {name!r} has data in column {last}; at most {max_columns} columns (up to {allowed}) "
            "are read (config import.max_columns)",
        )
    grid = extent.rows * extent.columns
    if grid > _MIN_GRID and grid > _SPARSE * extent.cells:
        corner = f"{column_letter(extent.columns - 1)}{extent.rows}"
        raise fail(
            file,
            f"sheet {name!r} has data as far as {corner} but only {extent.cells:,} cells hold data; "
            "delete the stray cells far from the table",
        )


def _workbook(book: zipfile.ZipFile) -> tuple[list[SheetEntry], int | None]:
    """The sheets in workbook order and the active sheet's index (None: the workbook names none)."""
    part = _office_document(book)
    root = _xml(book, part)
    rels = _relations(book, part)
    sheets: list[SheetEntry] = []
    active: int | None = None
    for el in root.iter():
        tag = _local(el.tag)
        if tag == "workbookView" and active is None:
            active = _int(el.get("activeTab"), 0)
        elif tag == "sheet":
            rid = next((v for k, v in el.attrib.items() if _local(k) == "id"), None)
            rel_type, target = rels.get(rid, ("", None))
            state = el.get("state", "visible")
            name = el.get("name", "")
            if any(s.name == name for s in sheets):  # Excel never allows it; the reader could mix them up
                raise ValueError(f"two sheets named {name!r}")
            sheets.append(SheetEntry(name, state == "visible", rel_type.endswith(_WORKSHEET), target))
    return sheets, active


def _member(book: zipfile.ZipFile, part: str | None) -> str | None:
    """The zip member of a sheet's part, matched as loosely as a reader might (case, backslashes)."""
    if part is None:
        return None
    if part in book.NameToInfo:
        return part
    wanted = part.replace("\\", "/").lower()
    return next((n for n in book.NameToInfo if n.replace("\\", "/").lower() == wanted), None)


def _office_document(book: zipfile.ZipFile) -> str:
    if "_rels/.rels" in book.NameToInfo:
        for rel_type, target in _relations(book, "", "_rels/.rels").values():
            if rel_type.endswith("/officeDocument") and target:
                return target
    return "xl/workbook.xml"


def _relations(book: zipfile.ZipFile, part: str, rels_part: str | None = None) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, target part) of ``part``."""
    folder = posixpath.dirname(part)
    rels_part = rels_part or posixpath.join(folder, "_rels", posixpath.basename(part) + ".rels")
    if rels_part not in book.NameToInfo:
        return {}
    out: dict[str, tuple[str, str]] = {}
    for el in _xml(book, rels_part).iter():
        if _local(el.tag) == "Relationship":
            target = el.get("Target", "")
            path = (
                target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            )
            out[el.get("Id", "")] = (el.get("Type", ""), path)
    return out


def _xml(book: zipfile.ZipFile, part: str):
    from xml.etree import ElementTree

    info = book.getinfo(part)
    if info.file_size > _MAX_PART:
        raise ValueError(f"{part} is over {_MAX_PART >> 20} MB")
    with book.open(info) as stream:
        data = stream.read(_MAX_PART + 1)
    if len(data) > _MAX_PART:
        raise ValueError(f"{part} is over {_MAX_PART >> 20} MB")
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise ValueError(f"{part}: {exc}") from None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default
