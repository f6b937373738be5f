"""CSV import: our own export or any spreadsheet with a header row, all rows or none."""

import csv
import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session, select

from studio.inventory import service as inventory
from studio.inventory.csv_export import FORMULA_STARTS
from studio.inventory.fields import BY_NAME, FIELDS
from studio.inventory.tables import Item

MAX_PROBLEMS = 200
UPDATE_HINT = "import with 'update existing items' to change it"


def _normalise_header(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


# Every way a column may be named: the field name, our export's header, the label, aliases.
_KNOWN_HEADERS: dict[str, str] = {}
for _spec in FIELDS:
    for _name in (_spec.name, _spec.name.removesuffix("_cents"), _spec.label, *_spec.csv_aliases):
        _KNOWN_HEADERS.setdefault(_normalise_header(_name), _spec.name)


class ImportCancelled(Exception):
    pass


@dataclass(frozen=True)
class Problem:
    row: int  # the line as a spreadsheet numbers it: the header is row 1
    field: str  # the column's label, or "" for the whole row
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", {self.field}" if self.field else "")
        return f"{where}: {self.message}"


class ImportFailed(ValueError):
    """Nothing was imported; `problems` names each row and field at fault."""

    def __init__(self, problems: list[Problem]) -> None:
        shown = "\n".join(f"  {p}" for p in problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        count = f"{len(problems)}+" if len(problems) >= MAX_PROBLEMS else str(len(problems))
        super().__init__(
            f"Nothing was imported: {count} problem(s) to fix in the file.\n{shown}{more}"
        )
        self.problems = problems


@dataclass
class CsvTable:
    header: list[str]
    rows: list[list[str]]


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    ignored_columns: list[str] = field(default_factory=list)


def read_table(path: Path) -> CsvTable:
    """Reads a CSV file of any common encoding and delimiter."""
    raw = path.read_bytes()
    if not raw.strip():
        raise ImportFailed([Problem(1, "", "the file is empty; export it again with a header")])
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text[:8192], delimiters=",;\t"
        )
    except csv.Error:
        dialect = csv.excel
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error as error:
        raise ImportFailed([Problem(1, "", f"this is not a readable CSV file ({error})")]) from None
    return CsvTable([cell.strip() for cell in rows[0]], rows[1:])


def guess_mapping(header: list[str]) -> dict[str, str | None]:
    """CSV column -> item field (None to ignore), from the column names."""
    mapping: dict[str, str | None] = {}
    taken: set[str] = set()
    for column in header:
        target = _KNOWN_HEADERS.get(_normalise_header(column))
        if target in taken:
            target = None
        if target:
            taken.add(target)
        mapping[column] = target
    return mapping


def _unneutralise(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell[1:2] in FORMULA_STARTS else cell


def import_csv(
    session: Session,
    path: Path,
    mapping: Mapping[str, str | None] | None = None,
    update_existing: bool = False,
    progress: Callable[[int, int], bool] | None = None,
) -> ImportReport:
    """Validates every row, then writes them all in the caller's transaction.

    `progress(done, total)` returns False to cancel (raising ImportCancelled; the caller rolls
    back). Rows whose SKU already exists are updated when `update_existing`, else refused.
    """
    table = read_table(path)
    mapping = dict(mapping or guess_mapping(table.header))
    report = ImportReport(ignored_columns=[c for c in table.header if not mapping.get(c)])
    if "title" not in mapping.values():
        raise ImportFailed([Problem(1, "", "no column is mapped to Title; name one 'title'")])
    columns = [(index, mapping.get(name)) for index, name in enumerate(table.header)]
    existing = dict(session.execute(select(Item.sku, Item.id)).all())
    problems: list[Problem] = []
    parsed: list[tuple[int, dict]] = []
    seen_skus: dict[str, int] = {}
    for number, cells in enumerate(table.rows, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        raw = {f: _unneutralise(cells[i]) if i < len(cells) else "" for i, f in columns if f}
        try:
            values = inventory.parse_values(raw)
        except inventory.ValidationError as error:
            problems += [Problem(number, BY_NAME[f].label, m) for f, m in error.errors.items()]
            continue
        errors = inventory.value_errors(values)
        problems += [Problem(number, BY_NAME[f].label, m) for f, m in errors.items()]
        sku = values.get("sku") or ""
        if sku in seen_skus:
            problems.append(Problem(number, "SKU", f"{sku} is also on row {seen_skus[sku]}"))
        elif sku in existing and not update_existing:
            problems.append(
                Problem(number, "SKU", f"{sku} is already in the inventory; {UPDATE_HINT}")
            )
        if sku:
            seen_skus[sku] = number
        parsed.append((number, values))
        if len(problems) >= MAX_PROBLEMS:
            break
    total = len(parsed)
    for done, (number, values) in enumerate(parsed, start=1):
        if problems:
            break
        try:
            sku = values.get("sku") or ""
            if sku in existing:
                inventory.update_item(session, existing[sku], values)
                report.updated += 1
            else:
                inventory.create_item(session, values)
                report.created += 1
        except inventory.ValidationError as error:
            problems += [Problem(number, BY_NAME[f].label, m) for f, m in error.errors.items()]
        if progress and done % 200 == 0 and not progress(done, total):
            raise ImportCancelled("Import cancelled; nothing was imported.")
    if problems:
        raise ImportFailed(problems)
    if progress:
        progress(total, total)
    return report
