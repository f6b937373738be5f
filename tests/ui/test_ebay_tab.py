"""The item editor's eBay tab and List on… with an eBay account, driven with qtbot on a real
database and an inline task bridge. eBay's look-ups are a stand-in answering as the adapter
does (tests/ebay asks the contract-checking fake eBay through the real ones): the tab shows
the suggested category to confirm, the required specifics still missing, and clears the
line as the seller fills them; List on… leaves an item eBay would refuse off eBay."""

import json
from collections.abc import Iterator

import pytest
from sqlmodel import select

from studio.inventory.tables import Item
from studio.jobs.scheduler import stop_jobs
from studio.sync.marketplace_details import AspectSpec, Category, CategoryFacts, ConditionSpec
from studio.sync.port import Unreachable
from studio.sync.tables import MarketplaceAccount, MarketplaceCategory, OutboxOp
from studio.ui.app import build_services
from studio.ui.inventory.section import InventorySection
from studio.ui.services import Services

EBAY, SELLER_API = "ebay", "seller-api"
MENS = Category("11483", "Clothing, Shoes & Accessories > Men's Clothing > Jeans")
WOMENS = Category("11554", "Clothing, Shoes & Accessories > Women's Clothing > Jeans")
JEANS = CategoryFacts(
    aspects=(
        AspectSpec("Brand", True, field="brand"),
        AspectSpec("Size", True, field="size"),
        AspectSpec("Department", True, field="department"),
        AspectSpec("Size Type", True, values=("Regular", "Petite", "Plus")),
        AspectSpec("Color", False, True, field="color"),
        AspectSpec("Fit", False, True, values=("Slim", "Straight")),
    ),
    conditions=(
        ConditionSpec("New with tags", "New with tags", ("new with tags", "nwt", "new")),
        ConditionSpec("Pre-owned", "Good", ("good", "used", "very good")),
    ),
    condition_required=True,
)


class StandIn:
    """eBay's look-ups as the editor gets them; counts what it was asked."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        self.offline = False

    def suggest(self, words: str) -> list[Category]:
        self._ask(f"suggest {words}")
        return [MENS, WOMENS]

    def facts(self, category_id: str) -> CategoryFacts:
        self._ask(f"facts {category_id}")
        return JEANS

    def _ask(self, what: str) -> None:
        if self.offline:
            raise Unreachable("eBay: ConnectError: no route to host")
        self.asked.append(what)

    def close(self) -> None:
        pass


@pytest.fixture
def services(database, data_dir) -> Iterator[Services]:
    built = build_services(data_dir, database, inline=True, background=False)
    yield built
    stop_jobs(built.scheduler, database)


@pytest.fixture
def ebay(database) -> StandIn:
    with database.transaction() as session:
        session.add(MarketplaceAccount(name=SELLER_API, base_url="http://127.0.0.1:9"))
        session.add(MarketplaceAccount(name=EBAY, kind="ebay", base_url="https://api.ebay.com"))
    return StandIn()


def section_with(qtbot, services, stand_in: StandIn) -> InventorySection:
    section = InventorySection(services)
    section.lookups_for = lambda _name: stand_in
    qtbot.addWidget(section)
    section.show()
    return section


def edit(qtbot, section: InventorySection, item_id: int):
    section.select_items([item_id])
    section.actions_by_name["edit"].trigger()
    assert section.editor is not None
    return section.editor


def test_the_ebay_tab_asks_what_is_missing_and_clears_it_as_it_is_filled(
    qtbot, services, ebay, add_item, database
):
    jeans = add_item(
        title="Levi's 501 jeans", category="Jeans", brand="Levi's", size="32", condition="Good"
    )
    section = section_with(qtbot, services, ebay)
    editor = edit(qtbot, section, jeans.id)
    panel = editor.panel
    assert editor.tabs.tabText(3) == "eBay"
    # Opened once: eBay was asked for a category for the title, and that category's needs.
    assert ebay.asked == ["suggest levi's 501 jeans jeans", "facts 11483"]
    assert [panel.category.itemText(i) for i in range(panel.category.count())] == [
        MENS.label,
        WOMENS.label,
    ]
    assert panel.confirm_button.text() == "Use it for every Jeans item"
    assert panel.needs_line.text() == "eBay needs: Department, Size Type"
    assert editor.marketplace_needs.text() == (
        "eBay needs: Department, Size Type (see the eBay tab)."
    )
    assert not editor.marketplace_needs.isHidden()
    # Department is the item's own field: its row takes the seller there.
    assert panel.field_buttons["Department"].text() == "Fill in the item's Department →"
    panel.field_buttons["Department"].click()
    assert editor.tabs.tabText(editor.tabs.currentIndex()) == "Details and measurements"
    assert panel.condition_line.text() == "Good lists as eBay's “Pre-owned”."

    editor.set_text("department", "Men")
    assert panel.needs_line.text() == "eBay needs: Size Type"
    assert panel.field_buttons["Department"].text() == "Men  (the item's Department)"
    panel.aspect_inputs["Size Type"].setCurrentText("Regular")
    assert panel.needs_line.text() == "eBay has what it needs."
    assert editor.marketplace_needs.isHidden()
    editor.set_text("condition", "Excellent")
    assert editor.marketplace_needs.text() == (
        "eBay needs: a condition it takes here (New with tags or Good) (see the eBay tab)."
    )
    editor.set_text("condition", "Good")

    panel.confirm_button.click()
    assert panel.confirm_button.isHidden()
    assert panel.confirmation.text() == "Used for every Jeans item; pick another to change it."
    editor.submit()
    assert not editor.isVisible()
    with database.session() as session:
        saved = session.get(Item, jeans.id)
        chosen = session.exec(select(MarketplaceCategory)).one()
    assert (saved.department, json.loads(saved.aspects)) == ("Men", {"Size Type": "Regular"})
    assert (chosen.studio_category, chosen.category_id) == ("Jeans", MENS.category_id)

    # Opened again, offline: eBay is not asked, and the tab has what it had.
    ebay.offline = True
    editor = edit(qtbot, section, jeans.id)
    assert len(ebay.asked) == 2
    assert editor.panel.aspect_inputs["Size Type"].currentText() == "Regular"
    assert editor.panel.needs_line.text() == "eBay has what it needs."
    assert editor.marketplace_needs.isHidden()


def test_offline_and_never_asked_the_tab_says_what_it_does_not_know(
    qtbot, services, ebay, add_item
):
    ebay.offline = True
    jeans = add_item(title="Wrangler jeans", category="Jeans", brand="Wrangler", size="30")
    editor = edit(qtbot, section_with(qtbot, services, ebay), jeans.id)
    assert editor.panel.status.text() == "eBay could not be reached. Nothing is known yet."
    assert editor.marketplace_needs.text() == "What eBay needs is not known yet (the eBay tab)."

    ebay.offline = False
    editor.panel.ask_button.click()
    assert editor.panel.needs_line.text() == "eBay needs: Department, Size Type, Condition"


def test_list_on_leaves_an_item_ebay_would_refuse_off_ebay(qtbot, services, ebay, add_item):
    ready = add_item(
        title="Slim jeans",
        category="Jeans",
        brand="Levi's",
        size="30",
        department="Men",
        condition="NWT",
        list_price_cents="40",
    )
    lacking = add_item(
        title="Boot-cut jeans", category="Jeans", brand="Lee", size="34", list_price_cents="30"
    )
    section = section_with(qtbot, services, ebay)
    for item in (ready, lacking):  # each opened once, so eBay was asked about it
        editor = edit(qtbot, section, item.id)
        editor.reject()
    ready_editor = edit(qtbot, section, ready.id)
    ready_editor.panel.aspect_inputs["Size Type"].setCurrentText("Regular")
    ready_editor.submit()

    section.select_items([ready.id, lacking.id])
    section.actions_by_name["publish"].trigger()
    dialog = section.list_dialog
    dialog.boxes[EBAY].setChecked(True)
    dialog.boxes[SELLER_API].setChecked(True)
    model = dialog.model
    column = 3 + model.marketplaces.index(EBAY)
    cells = {model.index(row, 0).data(): model.index(row, column).data() for row in range(2)}
    assert cells == {
        ready.sku: "$40.00 · you keep $32.00",
        lacking.sku: "eBay needs: Department, Size Type, Condition",
    }
    assert "1 item(s) lack what ebay needs (in red)" in dialog.summary.text()
    assert dialog.list_button.text() == "List 3"

    dialog.list_button.click()
    with services.database.session() as session:
        ops = session.exec(select(OutboxOp.marketplace, OutboxOp.item_id)).all()
    assert sorted(ops) == sorted(
        [(EBAY, ready.id), (SELLER_API, ready.id), (SELLER_API, lacking.id)]
    )
    assert section.banner.text.text() == (
        "Queued 2 item(s) for seller-api and 1 for ebay (1 left off: they lack what ebay "
        "needs). They go up at the next sync."
    )
