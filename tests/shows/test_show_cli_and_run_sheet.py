"""`studio show new|add|list|run-sheet`, and the run sheet PDF read back with pypdf."""

import re
import unicodedata

import pypdf

from studio.cli import main


def run(capsys, data_dir, *argv: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def page_texts(path) -> list[str]:
    return [
        re.sub(r"\s+", " ", unicodedata.normalize("NFKC", page.extract_text()))
        for page in pypdf.PdfReader(path).pages
    ]


def test_a_show_planned_filled_and_printed_from_the_command_line(
    qapp, capsys, data_dir, rack, tmp_path
):
    """`qapp`: a widgets application first; the command would make a bare QGuiApplication,
    which a later widget test in the same process cannot use."""
    jeans, jacket, shirt, boots, scarf = (item.sku for item in rack)
    code, out, _ = run(capsys, data_dir, "show", "new", "Sunday denim", "--at", "2026-12-06 19:00")
    assert code == 0 and out.startswith("Show 1: Sunday denim, Sun 06 Dec 2026 19:00")
    assert run(capsys, data_dir, "show", "add", "1", jeans, jacket, shirt, boots)[0] == 0
    code, out, _ = run(capsys, data_dir, "show", "add", "sunday DENIM", scarf, "--position", "1")
    assert code == 0 and "its line-up has 5" in out

    code, out, _ = run(capsys, data_dir, "show", "list")
    assert "Sunday denim  (planned, 5 items)" in out
    code, out, _ = run(capsys, data_dir, "show", "list", "1")
    places = [line.split()[1] for line in out.splitlines()[1:]]
    assert places == [scarf, jeans, jacket, shirt, boots]
    assert "open $65.00  floor $45.00" in out

    pdf = tmp_path / "run-sheet.pdf"
    code, out, err = run(capsys, data_dir, "show", "run-sheet", "1", "--pdf", str(pdf))
    assert code == 0, err
    texts = page_texts(pdf)
    sheet, pull = texts[0], texts[-1]
    assert "Run sheet: Sunday denim" in sheet
    # One row per item in line-up order, with its bin, opening price and floor.
    rows = re.findall(r"(\d) ([A-Z]{3}-\d{4}) (?:Bin \S+|No bin)", sheet)
    assert rows == [(str(n), sku) for n, sku in enumerate((scarf, jeans, jacket, shirt, boots), 1)]
    assert re.search(
        rf"{jacket} Bin A2 Denim trucker jacket Size M · Levi's \$65\.00 \$45\.00", sheet
    )
    assert "pit to pit 21.5 in" in sheet
    # The pull list walks the bins: A2, B2, B10 (not B10 before B2), C1, then no bin.
    assert "Pull list for the show" in pull
    bins = [pull.index(f"Bin {name}") for name in ("A2", "B2", "B10", "C1")]
    assert bins == sorted(bins) and pull.index("No bin recorded") > bins[-1]
    assert pull.index(jacket) < pull.index(shirt) < pull.index(jeans) < pull.index(boots)


def test_bad_input_gets_a_message_and_changes_nothing(qapp, capsys, data_dir, rack, tmp_path):
    assert run(capsys, data_dir, "show", "new", "Denim", "--at", "someday")[2].startswith(
        "'someday' is not a date and time"
    )
    assert run(capsys, data_dir, "show", "list")[1].startswith("No shows yet")
    run(capsys, data_dir, "show", "new", "Denim")
    code, _, err = run(capsys, data_dir, "show", "add", "1", rack[0].sku, "NOPE-9")
    assert code == 1 and err.strip() == "No item with SKU NOPE-9."
    code, _, err = run(capsys, data_dir, "show", "run-sheet", "1", "--pdf", str(tmp_path / "x.pdf"))
    assert code == 1 and "has no items yet" in err and not (tmp_path / "x.pdf").exists()
    code, _, err = run(capsys, data_dir, "show", "add", "Knitwear", rack[0].sku)
    assert code == 1 and "no show called 'Knitwear'" in err
