"""Issue 15: whatever a file or a command line throws at the studio, it ends with a message
saying what to do and a non-zero status, never a traceback.

Hypothesis drives hostile text and numbers through money parsing, `items add` and the CSV
importer; then each command is run with hostile arguments, in process and, for a few, as
the real `studio` program, to see what reaches the terminal.
"""

import csv
import io
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlmodel import func, select

from studio.cli import main
from studio.inventory.csv_import import MAX_PROBLEMS, ImportFailed, import_csv
from studio.inventory.tables import Item
from studio.money import MAX_AMOUNT, MoneyError, parse_money
from studio.storage.database import Database, open_database

# The last guard's words: what the CLI says for an error nothing else handled. A hostile
# input that reaches it found a hole, even though the seller saw no traceback.
UNHANDLED = "could not finish the command"

# Characters that break naive code: NUL, bidirectional overrides and isolates, a byte order
# mark, line breaks, quotes and separators, formula starters, an emoji.
NASTY = ["\x00", "\x1b", "\u202e", "\u2066", "\ufeff", "\r", "\n", '"', "'", ",", ";", "\t"]
NASTY += ["=", "+", "-", "@", "😀", "\u0301", "\u00a0"]
hostile_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.one_of(st.sampled_from(NASTY), st.characters()), max_size=40),
)
hostile_numbers = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(repr),
    st.integers().map(str),
    st.from_regex(r"-?[0-9$€£,. eE]{0,24}", fullmatch=True),
    hostile_text,
)
FAST = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """The CLI in process; argparse's own refusals (status 2) count as clean ones."""
    try:
        code = main(list(argv))
    except SystemExit as leaving:
        code = leaving.code if isinstance(leaving.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_clean(code: int, err: str) -> None:
    assert "Traceback" not in err and UNHANDLED not in err, err
    assert code == 0 or err.strip(), "a refusal must say why"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile") / "data"


@pytest.fixture(scope="module")
def shared_database(home: Path) -> Iterator[Database]:
    database = open_database(home)
    yield database
    database.close()


@given(hostile_numbers)
@FAST
def test_money_is_an_amount_in_range_with_cents_or_a_clear_refusal(text):
    try:
        amount = parse_money(text)
    except MoneyError as refused:
        assert str(refused).startswith(f"'{text}'")
        return
    assert abs(amount) <= MAX_AMOUNT and amount == amount.quantize(Decimal("0.01"))


@given(title=hostile_text, price=hostile_numbers)
@FAST
def test_items_add_adds_or_refuses_cleanly(capsys, home, title, price):
    # The `--flag=value` form, so that a value starting with "-" stays a value.
    code, out, err = run(
        capsys, "--data-dir", str(home), "items", "add", f"--title={title}", f"--list-price={price}"
    )
    assert_clean(code, err)
    assert code in (0, 1) and (code == 1 or out.startswith("Added "))


@given(rows=st.lists(st.tuples(hostile_text, hostile_numbers, hostile_text), max_size=15))
# Both outcomes run on every run, whatever else is drawn: a file imported, and one refused.
@example(rows=[("Plain tee", "12.50", "Zara")])
@example(rows=[("Plain tee", "not a price", "Zara")])
@FAST
def test_the_importer_imports_every_row_or_names_each_problem(shared_database, tmp_path, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["title", "list_price", "brand"])
    writer.writerows(rows)
    source = tmp_path / "hostile.csv"
    # Lone surrogates pass as the invalid UTF-8 bytes a broken exporter would write.
    source.write_bytes(buffer.getvalue().encode("utf-8", errors="surrogatepass"))
    with shared_database.session() as session:
        before = session.exec(select(func.count()).select_from(Item)).one()
        try:
            report = import_csv(session, source)
        except ImportFailed as failed:
            # A refused file names its problems (capped) and adds nothing at all.
            assert 1 <= len(failed.problems) <= MAX_PROBLEMS
            assert all(1 <= p.row <= len(rows) + 1 for p in failed.problems)
            assert session.exec(select(func.count()).select_from(Item)).one() == before
        else:
            assert report.created <= len(rows)
            assert session.exec(select(func.count()).select_from(Item)).one() == before + (
                report.created
            )
        finally:
            session.rollback()  # each example starts from the same inventory


@given(
    prefix=st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"PK\x03\x04"]),
    body=st.binary(max_size=600),
)
@FAST
def test_items_import_of_any_bytes_ends_cleanly(capsys, home, tmp_path, prefix, body):
    source = tmp_path / "any.csv"
    source.write_bytes(prefix + body)
    code, _, err = run(capsys, "--data-dir", str(home), "items", "import", str(source))
    assert_clean(code, err)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("files")
    made = {
        "binary": b"\x00\x01\x02\x03\xff\xfe\xfd" * 64,
        "workbook": b"PK\x03\x04" + bytes(range(256)),
        "utf16": "title\nBag\n".encode("utf-16-le"),
        "quote": b'title,list_price\n"Bag,10\nShoe,20\n',
        "hidden": "title\nBag \u202egpj.exe\n".encode(),
        "cents": b"title,list_price\nBag,12.345\n",
        "huge": b"title,list_price\nBag,1e30\n",
        "garbage": b"this is not a backup",
        "a_file": b"",
    }
    paths = {name: folder / f"{name}.csv" for name in made}
    for name, content in made.items():
        paths[name].write_bytes(content)
    paths["missing"] = folder / "missing.csv"
    paths["folder"] = folder
    return paths


# (arguments, words the refusal must hold); {name} is one of the files above.
REFUSED = [
    (["items", "add", "--title", "Bag", "--list-price", "1e30"], "too large"),
    (["items", "add", "--title", "Bag", "--list-price", "99999999999999999999999999999"], "large"),
    (["items", "add", "--title", "Bag", "--list-price", "12.345"], "two decimals"),
    (["items", "add", "--title", "Bag", "--list-price", "NaN"], "not an amount"),
    (["items", "add", "--title", "Bag", "--list-price=-Infinity"], "not an amount"),
    (["items", "add", "--title", "Bag", "--list-price", "-5"], "cannot be negative"),
    (["items", "add", "--title", "Bag \u202egpj.exe"], "invisible control character"),
    (["items", "add", "--title", "Bag\x00"], "invisible control character"),
    (["items", "add", "--title", "x" * 5000], "characters long"),
    (["items", "import", "{binary}"], "binary data"),
    (["items", "import", "{workbook}"], "Excel workbook"),
    (["items", "import", "{utf16}"], "UTF-16"),
    (["items", "import", "{quote}"], "never closed"),
    (["items", "import", "{hidden}"], "row 2, Title"),
    (["items", "import", "{cents}"], "two decimals"),
    (["items", "import", "{huge}"], "too large"),
    (["items", "import", "{missing}"], "does not exist"),
    (["items", "import", "{folder}"], "does not exist"),
    (["connect", "http://example.com", "--token", "tok"], "https://"),
    (["connect", "http://example.com", "--token", "tok", "--allow-insecure-lan"], "https://"),
    (["connect", "http://192.168.1.20:8765", "--token", "tok"], "--allow-insecure-lan"),
    (["connect", "javascript:alert(1)", "--token", "tok"], "not a marketplace address"),
    (["accounts", "set", "nobody", "--price-minimum", "1e30"], ""),
    (["expenses", "add", "2026-01-01", "Supplies", "1e30"], ""),
    (["expenses", "add", "2026-01-01", "Supplies", "12.345"], ""),
    (["db", "restore", "{garbage}"], "not a sound Seller Studio backup"),
    (["--data-dir", "{a_file}", "items", "list"], "choose another folder"),
]


def _filled(argv: list[str], files: dict[str, Path]) -> list[str]:
    return [str(files[a[1:-1]]) if a.startswith("{") and a.endswith("}") else a for a in argv]


@pytest.mark.parametrize(("argv", "words"), REFUSED, ids=lambda v: repr(v)[:60])
def test_each_command_refuses_hostile_arguments_cleanly(capsys, home, files, argv, words):
    arguments = _filled(argv, files)
    if arguments[0] != "--data-dir":
        arguments = ["--data-dir", str(home), *arguments]
    code, _, err = run(capsys, *arguments)
    assert code != 0
    assert_clean(code, err)
    assert words in err
    assert "tok" not in err  # a refused token is never echoed


@pytest.mark.slow  # a few seconds per run: the program starts from scratch each time
@pytest.mark.parametrize(
    ("argv", "words"),
    [REFUSED[0], REFUSED[12], REFUSED[18]],  # a price, a file, an address
    ids=lambda v: repr(v)[:60],
)
def test_the_real_program_shows_no_traceback(home, files, argv, words):
    program = Path(sys.executable).with_name("studio")
    if not program.exists():
        pytest.skip("the `studio` program is not installed in this environment")
    arguments = _filled(argv, files)
    if arguments[0] != "--data-dir":
        arguments = ["--data-dir", str(home), *arguments]
    done = subprocess.run([program, *arguments], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and words in done.stderr
