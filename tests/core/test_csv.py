import csv
from pathlib import Path

import pytest
from sqlmodel import select

from studio.inventory import service as inventory
from studio.inventory.csv_export import export_csv
from studio.inventory.csv_import import ImportCancelled, ImportFailed, guess_mapping, import_csv
from studio.inventory.tables import Item
from studio.storage.database import open_database

ODD_TITLES = [
    "着物 kimono, hand-stitched",
    'Levi\'s 501 "big E" 😀',
    '=HYPERLINK("http://x")',
    "+1 cardigan",
    "-20% tee",
    "@home joggers",
]


def test_round_trip_keeps_odd_characters_and_defuses_formulas(add_item, database, tmp_path):
    for n, title in enumerate(ODD_TITLES):
        add_item(
            title=title,
            description=f'Line one, with comma\nLine "two" {n}\r\nend',
            notes="=1+1",
            list_price_cents=f"{n}.50",
            purchase_date="2026-02-0" + str(n + 1),
            tags="日本, emoji 🎉",
        )
    target = tmp_path / "items.csv"
    with database.session() as session:
        assert export_csv(session, target) == len(ODD_TITLES)

    with target.open(encoding="utf-8-sig", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)

    other = open_database(tmp_path / "other")
    with other.transaction() as session:
        report = import_csv(session, target)
    assert (report.created, report.updated) == (len(ODD_TITLES), 0)
    with database.session() as a, other.session() as b:
        fields = list(inventory.EDITABLE)
        before = [[getattr(i, f) for f in fields] for i in a.exec(select(Item).order_by(Item.sku))]
        after = [[getattr(i, f) for f in fields] for i in b.exec(select(Item).order_by(Item.sku))]
    assert after == before
    other.close()


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding, newline="")
    return path


def test_a_plain_spreadsheet_is_mapped_by_its_column_names(database, tmp_path):
    source = write(
        tmp_path / "sheet.csv",
        "Name;Price;Colour;Location;Whatever\r\n"
        "Wool coat;45,00;camel;C2;x\r\n"
        "Denim jacket;30;blue;C3;y\r\n",
    )
    assert guess_mapping(["Name", "Price", "Colour", "Location", "Whatever"]) == {
        "Name": "title",
        "Price": "list_price_cents",
        "Colour": "color",
        "Location": "bin_location",
        "Whatever": None,
    }
    with database.transaction() as session:
        report = import_csv(session, source)
    assert report.created == 2 and report.ignored_columns == ["Whatever"]
    with database.session() as session:
        coat = session.exec(select(Item).where(Item.title == "Wool coat")).one()
    assert (coat.list_price_cents, coat.color, coat.bin_location, coat.sku) == (
        4500,
        "camel",
        "C2",
        "ITEM-0001",
    )


def test_every_bad_row_is_reported_and_nothing_is_imported(add_item, database, tmp_path):
    add_item(title="Existing", sku="TOP-0001")
    source = write(
        tmp_path / "bad.csv",
        "sku,title,price,purchase_date\n"
        "TOP-0002,Good row,10,2026-01-01\n"
        "TOP-0003,Negative,-4,2026-01-01\n"
        "TOP-0004,,10,\n"
        "TOP-0001,Clash,10,\n"
        "TOP-0002,Twice,10,\n"
        "TOP-0005,Bad date,10,yesterday\n",
    )
    with pytest.raises(ImportFailed) as caught:
        with database.transaction() as session:
            import_csv(session, source)
    problems = [str(p) for p in caught.value.problems]
    assert problems[0].startswith("row 3, List price: cannot be negative")
    assert any(p.startswith("row 4, Title") for p in problems)
    assert any(p.startswith("row 5, SKU: TOP-0001 is already") for p in problems)
    assert any(p.startswith("row 6, SKU: TOP-0002 is also on row 2") for p in problems)
    assert any(p.startswith("row 7, Purchase date") for p in problems)
    with database.session() as session:
        assert [i.sku for i in session.exec(select(Item))] == ["TOP-0001"]


def test_existing_skus_can_be_updated_instead(add_item, database, tmp_path):
    add_item(title="Old title", sku="TOP-0001", list_price_cents="10")
    source = write(tmp_path / "u.csv", "SKU,Title,List price\nTOP-0001,New title,12\n")
    with database.transaction() as session:
        report = import_csv(session, source, update_existing=True)
    assert (report.created, report.updated) == (0, 1)
    with database.session() as session:
        item = session.exec(select(Item)).one()
    assert (item.title, item.list_price_cents) == ("New title", 1200)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02\xff\xfe binary", "binary data"),
        (b"price,colour\n10,red\n", "no column is mapped to Title"),
    ],
)
def test_malformed_files_get_a_clear_message(database, tmp_path, content, words):
    source = tmp_path / "odd.csv"
    source.write_bytes(content)
    with pytest.raises(ImportFailed, match=words):
        with database.transaction() as session:
            import_csv(session, source)


def test_a_cancelled_import_leaves_nothing(database, tmp_path):
    rows = "".join(f"Item {n},{n}\n" for n in range(1000))
    source = write(tmp_path / "big.csv", "title,price\n" + rows)
    with pytest.raises(ImportCancelled):
        with database.transaction() as session:
            import_csv(session, source, progress=lambda done, total: done < 400)
    with database.session() as session:
        assert session.exec(select(Item)).all() == []


def test_export_of_a_selection_and_no_partial_file_on_failure(add_item, database, tmp_path):
    keep = add_item(title="Wanted").id
    add_item(title="Not wanted")
    target = tmp_path / "some.csv"
    with database.session() as session:
        assert export_csv(session, target, [keep]) == 1
    assert "Wanted" in target.read_text(encoding="utf-8-sig")
    assert "Not wanted" not in target.read_text(encoding="utf-8-sig")

    def stop(_count: int) -> None:
        raise RuntimeError("disk full")

    many = [add_item(title=f"Filler {n}").id for n in range(600)]
    broken = tmp_path / "broken.csv"
    with pytest.raises(RuntimeError), database.session() as session:
        export_csv(session, broken, many, progress=stop)
    assert list(tmp_path.glob("broken.csv*")) == []


# Issue 15: whatever a file throws at the importer, it names the problem and imports nothing.
def items_in(database) -> list[Item]:
    with database.session() as session:
        return list(session.exec(select(Item)).all())


def problems_of(database, source: Path) -> list[str]:
    with database.transaction() as session, pytest.raises(ImportFailed) as caught:
        import_csv(session, source)
    assert items_in(database) == []
    return [str(problem) for problem in caught.value.problems]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_files_with_a_byte_order_mark_are_read(database, tmp_path, encoding):
    # Python's "utf-16" and "utf-32" write a mark; "utf-16-be" does not, so add one.
    text = "title,list_price\nKimono 着物,12.50\n"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    source = tmp_path / "wide.csv"
    source.write_bytes(data)
    with database.transaction() as session:
        assert import_csv(session, source).created == 1
    assert [(i.title, i.list_price_cents) for i in items_in(database)] == [("Kimono 着物", 1250)]


def test_utf16_without_its_mark_is_named_as_such(database, tmp_path):
    source = tmp_path / "wide.csv"
    source.write_bytes("title\nKimono\n".encode("utf-16-le"))
    assert problems_of(database, source) == [
        "row 1: the file is in UTF-16 without a byte order mark; in your spreadsheet use "
        "File > Save As and pick 'CSV UTF-8'"
    ]


def test_an_excel_workbook_is_named_as_such(database, tmp_path):
    source = tmp_path / "book.csv"
    source.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
    assert "an Excel workbook" in problems_of(database, source)[0]


def test_an_unterminated_quote_is_named_and_does_not_swallow_the_rows_after(database, tmp_path):
    source = write(tmp_path / "q.csv", 'title,list_price\nBag,10\n"Shoe,20\nHat,30\nBelt,5\n')
    [problem] = problems_of(database, source)
    assert problem.startswith('row 3: a quote (") opened on line 3 of the file is never closed')


def test_a_quote_closed_rows_later_is_caught_in_a_one_line_field(database, tmp_path):
    source = write(tmp_path / "q.csv", 'title,list_price\n"Shoe,20\nHat",30\nBelt,5\n')
    assert problems_of(database, source)[0].startswith(
        "row 2, Title: runs over several lines of the file"
    )


def test_the_problem_report_is_capped_on_every_path(database, tmp_path):
    # Field errors (the parse path that used to skip the cap) and row rules (duplicate SKUs).
    bad_prices = "".join(f"Item {n},not money\n" for n in range(300))
    duplicates = "".join(f"Item {n},SKU-1\n" for n in range(300))
    for body, header in ((bad_prices, "title,list_price"), (duplicates, "title,sku")):
        source = write(tmp_path / "many.csv", f"{header}\n{body}")
        with database.transaction() as session, pytest.raises(ImportFailed) as caught:
            import_csv(session, source)
        assert len(caught.value.problems) == 100
        message = str(caught.value)
        assert "at least 100 problems (checking stopped there)" in message
        assert "... and 80 more" in message and len(message.splitlines()) == 22


@pytest.mark.parametrize(
    ("cell", "code"),
    [("Bag\x00 with NUL", "U+0000"), ("Bag \u202egpj.exe", "U+202E"), ("\u2066Bag", "U+2066")],
)
def test_hidden_control_characters_are_refused_naming_row_and_field(database, tmp_path, cell, code):
    source = write(tmp_path / "hidden.csv", f"title,brand\nFine,Coach\nOK,{cell}\n")
    [problem] = problems_of(database, source)
    assert problem.startswith(f"row 3, Brand: holds an invisible control character ({code})")


@pytest.mark.parametrize(
    ("price", "words"),
    [
        ("12.345", "has more than two decimals"),
        ("1e30", "is too large"),
        ("9" * 40, "is too large"),
        ("1000000.01", "is too large"),
    ],
)
def test_prices_that_would_be_rounded_or_overflow_are_refused(database, tmp_path, price, words):
    source = write(tmp_path / "price.csv", f"title,list_price\nBag,{price}\n")
    [problem] = problems_of(database, source)
    assert problem.startswith("row 2, List price:") and words in problem
