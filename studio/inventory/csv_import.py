"""CSV import: our own export or any spreadsheet with a header row, all rows or none."""

import codecs
import csv
import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session, select

from studio.inventory import service as inventory
from studio.inventory.csv_export import FORMULA_STARTS
from studio.inventory.fields import BY_NAME, FIELDS, Kind
from studio.inventory.tables import Item

# Past this many problems the file is not worth checking further: the seller has enough to
# fix, and a broken million-row file must not keep the import busy or the report huge.
MAX_PROBLEMS = 100
SHOWN_PROBLEMS = 20  # listed in the message; every collected problem stays in `problems`
SAVE_AS_CSV = "in your spreadsheet use File > Save As and pick 'CSV UTF-8'"
# The byte order marks that say how a file is encoded; the UTF-32 ones first, since the
# UTF-16 little-endian mark is the start of the UTF-32 one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r")
# How files that are not text at all begin.
_NOT_CSV = (
    (b"PK\x03\x04", "an Excel workbook (or another zip file)"),
    (b"\xd0\xcf\x11\xe0", "an old Excel workbook"),
    (b"%PDF", "a PDF"),
    (b"\x89PNG", "a picture"),
    (b"\xff\xd8\xff", "a picture"),
)
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
    """Nothing was imported; `problems` names each row and field at fault (at most
    MAX_PROBLEMS of them: checking stops there)."""

    def __init__(self, problems: list[Problem]) -> None:
        shown = "\n".join(f"  {p}" for p in problems[:SHOWN_PROBLEMS])
        hidden = len(problems) - SHOWN_PROBLEMS
        more = f"\n  ... and {hidden} more" if hidden > 0 else ""
        if len(problems) >= MAX_PROBLEMS:
            count = f"at least {MAX_PROBLEMS} problems (checking stopped there)"
        else:
            count = f"{len(problems)} problem(s)"
        super().__init__(f"Nothing was imported: {count} to fix in the file.\n{shown}{more}")
        self.problems = problems


class _Problems(list[Problem]):
    """The problems found so far, never more than MAX_PROBLEMS."""

    def add(self, *found: Problem) -> None:
        self.extend(found[: max(0, MAX_PROBLEMS - len(self))])

    @property
    def full(self) -> bool:
        return len(self) >= MAX_PROBLEMS


def _failed(message: str, row: int = 1) -> ImportFailed:
    return ImportFailed([Problem(row, "", message)])


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
    """Reads a CSV file of any common encoding and delimiter; ImportFailed says what the file
    is when it is not a CSV the studio can read."""
    raw = path.read_bytes()
    if not raw.strip():
        raise _failed("the file is empty; export it again with a header")
    text = _decode(raw)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text[:8192], delimiters=",;\t"
        )
    except csv.Error:
        dialect = csv.excel
    rows = _records(text, dialect)
    if not rows:
        raise _failed("the file has no header row; export it again with a header")
    return CsvTable([cell.strip() for cell in rows[0]], rows[1:])


def _decode(raw: bytes) -> str:
    for start, what in _NOT_CSV:
        if raw.startswith(start):
            raise _failed(f"this is {what}, not a CSV file; {SAVE_AS_CSV}")
    for bom, codec, name in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(codec)
            except UnicodeDecodeError:
                raise _failed(f"the file says it is {name} but is damaged; {SAVE_AS_CSV}") from None
    # UTF-16 without its mark: every other byte of plain text is zero.
    if raw[1::2].count(0) > len(raw) // 4 or raw[0::2].count(0) > len(raw) // 4:
        raise _failed(f"the file is in UTF-16 without a byte order mark; {SAVE_AS_CSV}")
    # Text holds almost no control bytes; a stray NUL in one cell is left for the field
    # check, which names its row, while a file full of them is not a CSV at all.
    head = raw[:8192]
    if sum(head.count(byte) for byte in _CONTROL_BYTES) > len(head) // 10:
        raise _failed(f"this is not a text file (it holds binary data); {SAVE_AS_CSV}")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _failed(f"the file's characters are in an encoding the studio cannot tell; {SAVE_AS_CSV}")


def _records(text: str, dialect: type[csv.Dialect] | csv.Dialect) -> list[list[str]]:
    # Strict, so that a quote opened and never closed is an error naming its row rather than
    # every following row swallowed into one cell.
    reader = csv.reader(io.StringIO(text, newline=""), dialect, strict=True)
    rows: list[list[str]] = []
    line = 0  # the last line of the file read so far
    try:
        for row in reader:
            rows.append(row)
            line = reader.line_num
    except csv.Error as error:
        row_number, start = len(rows) + 1, line + 1
        if "end of data" in str(error):
            raise _failed(
                f'a quote (") opened on line {start} of the file is never closed, so every '
                "row after it would run into one cell; close it or remove it",
                row_number,
            ) from None
        raise _failed(
            f"line {start} of the file is not valid CSV ({error}); a cell holding a quote must "
            "be wholly in quotes with the quote doubled, as a spreadsheet saves it",
            row_number,
        ) from None
    return rows


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


def _field_problems(number: int, errors: Mapping[str, str]) -> list[Problem]:
    return [Problem(number, BY_NAME[name].label, message) for name, message in errors.items()]


def _split_cells(number: int, raw: Mapping[str, str]) -> list[Problem]:
    """A line break in a one-line field: the sign of a quote that opened too early and ran
    over the next rows (a long text field may hold line breaks, so it is not suspect)."""
    return [
        Problem(
            number,
            BY_NAME[name].label,
            'runs over several lines of the file; look for a quote (") without its closing '
            "quote on this row",
        )
        for name, cell in raw.items()
        if "\n" in cell.strip() and BY_NAME[name].kind is not Kind.LONG_TEXT
    ]


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
    problems = _Problems()
    parsed: list[tuple[int, dict]] = []
    seen_skus: dict[str, int] = {}
    for number, cells in enumerate(table.rows, start=2):
        if problems.full:
            break
        if not any(cell.strip() for cell in cells):
            continue
        raw = {f: _unneutralise(cells[i]) if i < len(cells) else "" for i, f in columns if f}
        problems.add(*_split_cells(number, raw))
        try:
            values = inventory.parse_values(raw)
        except inventory.ValidationError as error:
            problems.add(*_field_problems(number, error.errors))
            continue
        problems.add(*_field_problems(number, inventory.value_errors(values)))
        sku = values.get("sku") or ""
        if sku in seen_skus:
            problems.add(Problem(number, "SKU", f"{sku} is also on row {seen_skus[sku]}"))
        elif sku in existing and not update_existing:
            problems.add(
                Problem(number, "SKU", f"{sku} is already in the inventory; {UPDATE_HINT}")
            )
        if sku:
            seen_skus[sku] = number
        parsed.append((number, values))
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
            problems.add(*_field_problems(number, error.errors))
        if progress and done % 200 == 0 and not progress(done, total):
            raise ImportCancelled("Import cancelled; nothing was imported.")
    if problems:
        raise ImportFailed(problems)
    if progress:
        progress(total, total)
    return report
