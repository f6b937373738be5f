"""The item editor: measurements and shipping fields, what the seller keeps at the typed
price, the listing checklist, and a description filled from a template."""

from sqlmodel import select

from studio.inventory.tables import Item
from studio.sync.tables import MarketplaceAccount


def open_editor_on(qtbot, section, database, **values) -> object:
    with database.transaction() as session:
        item = Item(sku="TOP-9001", title="Band tee", category="Tops", **values)
        session.add(item)
    qtbot.waitUntil(lambda: section.model.row_of(item.id) is not None)
    section.select_items([item.id])
    section.actions_by_name["edit"].trigger()
    qtbot.waitUntil(lambda: section.editor is not None)
    return section.editor


def test_the_editor_shows_what_the_seller_keeps_and_what_is_missing(qtbot, section, database):
    editor = open_editor_on(qtbot, section, database, cost_cents=800)
    assert "Set a list price" in editor.numbers.text()
    editor.set_text("list_price_cents", "45")
    assert "fee $9.00" in editor.numbers.text()
    assert "you keep $36.00, a profit of $28.00" in editor.numbers.text()
    assert "Measure the pit to pit" in editor.ready.text()
    assert "Add at least one photo" in editor.ready.text()

    editor.set_text("pit_to_pit", "21.5")
    editor.set_text("length", "71 cm")
    editor.set_text("weight", "1 lb 4 oz")
    editor.set_text("brand", "Hanes")
    editor.set_text("flaws", "Small hole at the hem")
    assert "pit to pit" not in editor.ready.text()
    editor.fill_description()
    description = editor.text_of("description")
    assert description.startswith("Band tee")
    assert "Pit to pit: 21.5 in\nLength: 27.95 in" in description
    assert "Flaws: Small hole at the hem" in description

    editor.submit()
    qtbot.waitUntil(lambda: not editor.isVisible())
    with database.session() as session:
        saved = session.exec(select(Item).where(Item.sku == "TOP-9001")).one()
    assert (saved.pit_to_pit, saved.length, saved.weight) == (2150, 2795, 200)
    assert saved.description == description


def test_a_wrong_measurement_brings_its_tab_forward(qtbot, section, database):
    editor = open_editor_on(qtbot, section, database)
    editor.set_text("inseam", "about thirty")
    assert editor.tabs.currentIndex() == 0
    editor.submit()
    assert editor.isVisible()
    assert editor.tabs.tabText(editor.tabs.currentIndex()) == "Details and measurements"
    assert "write inches like 21.5" in editor.errors["inseam"].text()


def test_the_numbers_are_at_the_first_marketplace_s_price_and_fee(qtbot, section, database):
    with database.transaction() as session:
        # +10% ending .99, and a 12.5% fee without a flat one.
        session.add(
            MarketplaceAccount(
                name="other",
                base_url="http://127.0.0.1:9",
                price_percent=10,
                price_ending="99",
                fee_rate_bp=1250,
                flat_fee_below_cents=0,
            )
        )
    editor = open_editor_on(qtbot, section, database, cost_cents=800)
    editor.set_text("list_price_cents", "30")
    # 32.99 there; its fee 4.12 (12.5%, half up); 32.99 - 4.12 = 28.87 kept, 20.87 profit.
    assert editor.numbers.text() == (
        "On other at $32.99, by your rule there (+10%, ending .99): fee $4.12, postage paid "
        "by the buyer; you keep $28.87, a profit of $20.87."
    )
