"""The Inbox tab driven with qtbot: buyers' messages arrive while it is open, opening a
conversation reads it, the chosen buyer stays chosen as the list moves, and a reply is
confirmed by name before it is queued."""

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from questions import answering
from sqlmodel import select

from studio.inventory.tables import utc_now
from studio.seller_tools.inbox import BuyerKey
from studio.seller_tools.tables import SentMessage
from studio.sync.tables import BuyerMessage, MarketplaceAccount, Offer, OutboxOp

MAYA = BuyerKey("seller-api", "4")
THEO = BuyerKey("seller-api", "5")


def _wrote(database, key: BuyerKey, name: str, remote_id: str, body: str, ago: int) -> None:
    """A message as a sync cycle would store it, committed while the window is open."""
    with database.transaction() as session:
        session.add(
            BuyerMessage(
                marketplace=key.marketplace,
                remote_id=remote_id,
                buyer_id=key.buyer_id,
                buyer_name=name,
                body=body,
                received_at=utc_now() - timedelta(minutes=ago),
            )
        )


@pytest.fixture
def panel(qtbot, window, database):
    now = utc_now()
    with database.transaction() as session:
        session.add(MarketplaceAccount(name="seller-api", base_url="http://127.0.0.1:9"))
        session.add(
            Offer(
                marketplace="seller-api",
                remote_id="77",
                remote_listing_id="17",
                kind="buyer",
                buyer_id=THEO.buyer_id,
                buyer_name="Théo Girard",
                amount_cents=6000,
                status="pending",
                created_at=now - timedelta(minutes=30),
                updated_at=now - timedelta(minutes=30),
            )
        )
    window.show_section("messages")
    section = window.sections["messages"]
    assert section.tabs.currentWidget() is section.inbox
    inbox = section.inbox
    _wrote(database, MAYA, "Maya Brooks", "m1", "Pit to pit, please?", ago=20)
    _wrote(database, MAYA, "Maya Brooks", "m2", "And the length?", ago=10)
    qtbot.waitUntil(lambda: inbox.buyers.rowCount() == 2, timeout=10_000)
    return inbox


def cells(table, row: int) -> list[str]:
    return [table.item(row, column).text() for column in range(table.columnCount())]


def test_a_conversation_is_read_when_opened_and_stays_chosen(qtbot, window, database, panel):
    section = window.sections["messages"]
    assert cells(panel.buyers, 0)[:2] == ["Maya Brooks", "2"]
    assert cells(panel.buyers, 1)[:2] == ["Théo Girard", ""]
    assert section.tabs.tabText(0) == "Inbox (2)"

    panel.buyers.select_ids([MAYA])
    qtbot.waitUntil(lambda: cells(panel.buyers, 0)[1] == "", timeout=10_000)
    assert section.tabs.tabText(0) == "Inbox"
    assert [panel.lines.item(i).text().split("\n")[1] for i in range(panel.lines.count())] == [
        "Pit to pit, please?",
        "And the length?",
    ]

    # Théo writes: his row moves to the top, Maya stays the one chosen.
    _wrote(database, THEO, "Théo Girard", "m3", "Still available?", ago=0)
    qtbot.waitUntil(lambda: cells(panel.buyers, 0)[0] == "Théo Girard", timeout=10_000)
    assert panel.buyers.selected_id() == MAYA
    assert cells(panel.buyers, 0)[1] == "1"  # not opened, so not read
    assert panel.heading.text() == "<b>Maya Brooks</b>"


def test_a_reply_is_confirmed_by_name_then_queued(qtbot, database, panel):
    panel.buyers.select_ids([THEO])
    qtbot.waitUntil(lambda: panel.lines.count() == 1, timeout=10_000)
    assert "Offer of $60.00 (pending)" in panel.lines.item(0).text()
    assert not panel.send_button.isEnabled()  # nothing written yet
    panel.reply.setPlainText("Meet me at $65?")

    with answering(qtbot, Qt.Key.Key_Escape):
        panel.send_button.click()
    with database.session() as session:
        assert session.exec(select(SentMessage)).all() == []

    with qtbot.waitSignal(panel.shown, timeout=10_000), answering(qtbot) as asked:
        panel.send_button.click()
    assert "Théo Girard" in asked.text and asked.button == "Send"
    qtbot.waitUntil(lambda: panel.lines.count() == 2, timeout=10_000)
    assert panel.lines.item(1).text().startswith("You · ")
    assert panel.lines.item(1).text().endswith("\nMeet me at $65?")
    assert panel.reply.toPlainText() == ""
    with database.session() as session:
        sent = session.exec(select(SentMessage)).one()
        op = session.exec(select(OutboxOp)).one()
    assert (sent.kind, sent.buyer_id, sent.buyer_name) == ("reply", "5", "Théo Girard")
    assert (op.kind, op.op_id) == ("send_message", sent.op_id)
