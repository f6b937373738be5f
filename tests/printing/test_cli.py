"""`studio print ...` writes the same documents as the window into a PDF."""

from studio.cli import main

from .conftest import barcodes, page_size, page_text, pdf_pages, rasterise


def test_print_slips_for_named_orders(make_order, shop, data_dir, tmp_path, capsys) -> None:
    make_order("600001", buyer="Bartholomew Quince")
    make_order("600002", buyer="Eulalie Marchbanks")
    out = tmp_path / "slips.pdf"
    code = main(
        ["--data-dir", str(data_dir), "print", "slips", "--orders", "600002", "--pdf", str(out)]
    )
    assert code == 0, capsys.readouterr().err
    (page,) = pdf_pages(out)
    assert "Eulalie Marchbanks" in page_text(page)
    assert barcodes(rasterise(out, 1)) == {"600002": "Code128"}


def test_print_todays_batch_and_tags(make_order, shop, data_dir, tmp_path, capsys) -> None:
    make_order("600010", lines=(("HAT-0001", "Straw hat", 1800, "A2"),))
    batch = tmp_path / "batch.pdf"
    assert (
        main(["--data-dir", str(data_dir), "print", "batch", "--today", "--pdf", str(batch)]) == 0
    )
    assert len(pdf_pages(batch)) == 4
    tags = tmp_path / "tags.pdf"
    assert (
        main(
            [
                "--data-dir",
                str(data_dir),
                "print",
                "tags",
                "--items",
                "HAT-0001",
                "--pdf",
                str(tags),
            ]
        )
        == 0
    )
    assert page_size(pdf_pages(tags)[0]) == (162.0, 90.0)


def test_unknown_orders_and_missing_choices_are_explained(data_dir, tmp_path, capsys) -> None:
    assert main(["--data-dir", str(data_dir), "print", "cards", "--pdf", "x.pdf"]) == 2
    assert "--orders" in capsys.readouterr().err
    assert (
        main(
            [
                "--data-dir",
                str(data_dir),
                "print",
                "cards",
                "--orders",
                "999",
                "--pdf",
                str(tmp_path / "x.pdf"),
            ]
        )
        == 1
    )
    assert "no order numbered 999" in capsys.readouterr().err
