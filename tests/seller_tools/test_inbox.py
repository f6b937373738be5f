"""The inbox on known data: conversations per buyer, their lines in time order, unread counts,
and replies queued like every other message to a buyer."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from studio.placeholders import TemplateError
from studio.seller_tools import inbox, messages
from studio.seller_tools.inbox import BuyerKey, Entry
from studio.seller_tools.tables import SentMessage
from studio.sync.tables import BuyerMessage, MarketplaceAccount, Offer, OutboxOp

T0 = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
MAYA = BuyerKey("seller-api", "4")
THEO = BuyerKey("seller-api", "5")


def _wrote(session, key: BuyerKey, remote_id: str, minutes: int, body: str, **about) -> None:
    session.add(
        BuyerMessage(
            marketplace=key.marketplace,
            remote_id=remote_id,
            buyer_id=key.buyer_id,
            buyer_name=about.pop("name", "Maya Brooks"),
            body=body,
            received_at=T0 + timedelta(minutes=minutes),
            **about,
        )
    )


def _offered(session, key: BuyerKey, remote_id: str, minutes: int, kind: str, cents: int, item_id):
    at = T0 + timedelta(minutes=minutes)
    session.add(
        Offer(
            marketplace=key.marketplace,
            remote_id=remote_id,
            remote_listing_id="17",
            item_id=item_id,
            kind=kind,
            buyer_id=key.buyer_id,
            buyer_name="Théo Girard" if key == THEO else "Maya Brooks",
            amount_cents=cents,
            status="pending",
            created_at=at,
            updated_at=at,
        )
    )


@pytest.fixture
def talk(database, add_item):
    """Maya asked about the coat, offered on it, was countered; Théo only offered, later."""
    coat = add_item(title="Camel coat", list_price_cents="100")
    with database.transaction() as session:
        session.add(MarketplaceAccount(name="seller-api", base_url="http://127.0.0.1:9"))
        _wrote(session, MAYA, "m1", 0, "Pit to pit?", item_id=coat.id, remote_listing_id="17")
        _wrote(session, MAYA, "m2", 2, "And do you ship to Lyon?", name="Maya B.")
        _wrote(session, MAYA, "m3", 9, "About my old order", remote_listing_id="99", name="Maya B.")
        _offered(session, MAYA, "o1", 5, "buyer", 7000, coat.id)
        _offered(session, MAYA, "o2", 6, "counter", 8500, coat.id)
        _offered(session, THEO, "o3", 20, "buyer", 6000, coat.id)
        # The same buyer id on another marketplace is another person.
        _wrote(session, BuyerKey("other", "4"), "m1", 1, "Hello", name="Ana Park")
    return coat


def test_conversations_per_buyer_newest_first_with_unread_counts(database, talk):
    with database.session() as session:
        found = inbox.conversations(session)

    assert [(c.buyer, c.buyer_name, c.unread) for c in found] == [
        (THEO, "Théo Girard", 0),
        (MAYA, "Maya B.", 3),  # the name on her latest message
        (BuyerKey("other", "4"), "Ana Park", 1),
    ]
    assert found[1].last_at == T0 + timedelta(minutes=9)


def test_a_thread_reads_both_ways_in_time_order(database, talk):
    with database.session() as session:
        lines = inbox.thread(session, MAYA)

    assert lines == [
        Entry(T0, True, "message", "Pit to pit?", "Camel coat"),
        Entry(T0 + timedelta(minutes=2), True, "message", "And do you ship to Lyon?", ""),
        Entry(T0 + timedelta(minutes=5), True, "buyer", "", "Camel coat", 7000, "pending"),
        Entry(T0 + timedelta(minutes=6), False, "counter", "", "Camel coat", 8500, "pending"),
        Entry(T0 + timedelta(minutes=9), True, "message", "About my old order", "listing 99"),
    ]


def test_a_reply_is_queued_like_any_message_and_reads_the_conversation(database, talk):
    with database.transaction() as session:
        sent = inbox.reply(session, MAYA, "  56 cm, and yes: 8 € to Lyon.\n")
    with database.session() as session:
        op = session.exec(select(OutboxOp)).one()
        [maya] = [c for c in inbox.conversations(session) if c.buyer == MAYA]
        last = inbox.thread(session, MAYA)[-1]

    assert (sent.kind, sent.buyer_name, sent.body) == (
        "reply",
        "Maya B.",
        "56 cm, and yes: 8 € to Lyon.",
    )
    assert (op.kind, op.entity, op.op_id) == ("send_message", "buyer:4", sent.op_id)
    assert json.loads(op.payload) == {
        "buyer_id": "4",
        "kind": "reply",
        "body": "56 cm, and yes: 8 € to Lyon.",
        "item_ids": [],
    }
    assert maya.unread == 0 and maya.last_at == sent.sent_at
    assert (last.from_buyer, last.kind, last.body) == (False, "reply", sent.body)


def test_marking_read_counts_what_was_unread(database, talk):
    with database.transaction() as session:
        assert inbox.mark_read(session, MAYA) == 3
    with database.transaction() as session:
        assert inbox.mark_read(session, MAYA) == 0
        assert (
            session.exec(select(BuyerMessage).where(BuyerMessage.marketplace == "other")).one().read
            is False
        )


def test_a_reply_needs_a_conversation_and_some_text(database, talk):
    with database.transaction() as session:
        with pytest.raises(LookupError, match="no conversation"):
            inbox.reply(session, BuyerKey("seller-api", "404"), "Hello?")
        with pytest.raises(TemplateError, match="empty"):
            inbox.reply(session, MAYA, "   ")
    with database.session() as session:
        assert session.exec(select(SentMessage)).all() == []
        assert session.exec(select(OutboxOp)).all() == []


def test_template_kinds_stay_templates(database):
    """A reply is a kind of sent message but has no template of its own."""
    assert messages.REPLY not in messages.KINDS
    with database.transaction() as session, pytest.raises(TemplateError, match="unknown"):
        messages.template(session, messages.REPLY)
