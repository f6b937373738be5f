"""Messages to buyers: templates with fields, sending through the outbox, automatic sending
per kind with a daily cap, and every sent message kept per buyer.

The cap counts the automatic messages stored today (the local day), so it holds across
restarts. Automatic greetings and thanks only go to followers and orders that arrived after
the template was last saved with automatic sending on: switching it on never messages the
whole history.
"""

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, time

from sqlmodel import Session, col, func, select

from studio import placeholders
from studio.inventory.tables import Item, utc_now
from studio.orders.tables import Order, OrderLine
from studio.placeholders import TemplateError
from studio.printing.settings import shop_profile
from studio.seller_tools.tables import MessageTemplate, SentMessage
from studio.sync import outbox
from studio.sync.tables import Follower, OpKind

KINDS = ("greeting", "thank_you", "bundle_suggestion")  # each with its template
REPLY = "reply"  # an answer typed in the inbox (seller_tools/inbox.py): no template
FIELDS = {
    "buyer_first_name": "the buyer's first name",
    "buyer_name": "the buyer's full name",
    "shop_name": "your shop's name (Orders → Templates)",
    "item_title": "the item bought or suggested first",
    "item_titles": "every item, comma-separated",
    "order_number": "the order's number",
}
DEFAULT_BODIES = {
    "greeting": "Hi[ {buyer_first_name}], thanks for following[ {shop_name}]! New pieces every "
    "week.",
    "thank_you": "Thank you for your order {order_number}[, {buyer_first_name}]! I hope you love "
    "your {item_title}.",
    "bundle_suggestion": "Hi[ {buyer_first_name}], these go well with your {item_title}: "
    "{item_titles}. Add them and shipping is paid once.",
}


def check_template(body: str) -> None:
    """Refuses a template that could not be filled, naming what is wrong."""
    placeholders.check(body, FIELDS)


def fill(body: str, values: Mapping[str, str]) -> str:
    return placeholders.fill(body, {name: values.get(name, "") for name in FIELDS})


def template(session: Session, kind: str) -> MessageTemplate:
    if kind not in KINDS:
        raise TemplateError(f"unknown message kind {kind!r}")
    return session.get(MessageTemplate, kind) or MessageTemplate(
        kind=kind, body=DEFAULT_BODIES[kind]
    )


def save_template(
    session: Session, kind: str, body: str, auto_send: bool = False, daily_cap: int = 20
) -> MessageTemplate:
    check_template(body)
    if daily_cap < 0:
        raise TemplateError("The daily cap cannot be negative.")
    row = template(session, kind)
    row.body, row.auto_send, row.daily_cap, row.updated_at = body, auto_send, daily_cap, utc_now()
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True)
class Recipient:
    marketplace: str
    buyer_id: str
    buyer_name: str


def values_for(
    session: Session, buyer_name: str, items: Iterable[Item], order: Order | None = None
) -> dict[str, str]:
    titles = [item.title for item in items]
    return {
        "buyer_first_name": (buyer_name.split() or [""])[0],
        "buyer_name": buyer_name,
        "shop_name": shop_profile(session).shop_name,
        "item_title": titles[0] if titles else "",
        "item_titles": ", ".join(titles),
        "order_number": order.number if order else "",
    }


def queue_message(
    session: Session,
    to: Recipient,
    kind: str,
    body: str,
    item_ids: list[int] | None = None,
    order_id: int | None = None,
    automatic: bool = False,
    now: datetime | None = None,
) -> SentMessage:
    if kind not in (*KINDS, REPLY):
        raise TemplateError(f"unknown message kind {kind!r}")
    if not body.strip():
        raise TemplateError("The message is empty.")
    if kind == "bundle_suggestion" and not item_ids:
        raise TemplateError("A bundle suggestion names at least one item.")
    op = outbox.add_op(
        session,
        to.marketplace,
        OpKind.SEND_MESSAGE,
        f"buyer:{to.buyer_id}",
        {"buyer_id": to.buyer_id, "kind": kind, "body": body, "item_ids": item_ids or []},
    )
    sent = SentMessage(
        marketplace=to.marketplace,
        buyer_id=to.buyer_id,
        buyer_name=to.buyer_name,
        kind=kind,
        body=body,
        item_ids=json.dumps(item_ids or []),
        order_id=order_id,
        automatic=automatic,
        op_id=op.op_id,
        sent_at=now or utc_now(),
    )
    session.add(sent)
    session.flush()
    return sent


def day_start(now: datetime) -> datetime:
    """Midnight of the local day `now` falls in, as an aware datetime."""
    local = now.astimezone()
    return datetime.combine(local.date(), time(), tzinfo=local.tzinfo)


def automatic_sent_today(session: Session, kind: str, now: datetime) -> int:
    query = select(func.count()).where(
        SentMessage.kind == kind,
        col(SentMessage.automatic).is_(True),
        SentMessage.sent_at >= day_start(now),
    )
    return int(session.exec(query).one())


def sent_by_buyer(session: Session) -> dict[tuple[str, str], list[SentMessage]]:
    """Every sent message, grouped by (buyer id, buyer name), newest first."""
    grouped: dict[tuple[str, str], list[SentMessage]] = {}
    query = select(SentMessage).order_by(col(SentMessage.sent_at).desc())
    for message in session.exec(query):
        grouped.setdefault((message.buyer_id, message.buyer_name), []).append(message)
    return grouped


def send_automatic(session: Session, now: datetime | None = None) -> list[SentMessage]:
    """Greets new followers and thanks new buyers, within each kind's daily cap."""
    moment = now or utc_now()
    sent: list[SentMessage] = []
    greeting = template(session, "greeting")
    if greeting.auto_send:
        room = greeting.daily_cap - automatic_sent_today(session, "greeting", moment)
        greeted = _messaged(session, "greeting")
        followers = session.exec(
            select(Follower)
            .where(Follower.followed_at >= greeting.updated_at)
            .order_by(col(Follower.followed_at))
        ).all()
        for follower in followers:
            if room <= 0:
                break
            if follower.buyer_id in greeted:
                continue
            to = Recipient(follower.marketplace, follower.buyer_id, follower.buyer_name)
            body = fill(greeting.body, values_for(session, follower.buyer_name, []))
            sent.append(queue_message(session, to, "greeting", body, automatic=True, now=moment))
            room -= 1
    thanks = template(session, "thank_you")
    if thanks.auto_send:
        sent.extend(_thank_new_buyers(session, thanks, moment))
    return sent


def _thank_new_buyers(
    session: Session, thanks: MessageTemplate, moment: datetime
) -> list[SentMessage]:
    room = thanks.daily_cap - automatic_sent_today(session, "thank_you", moment)
    thanked = set(
        session.exec(
            select(SentMessage.order_id).where(
                SentMessage.kind == "thank_you", col(SentMessage.order_id).is_not(None)
            )
        ).all()
    )
    orders = session.exec(
        select(Order)
        .where(Order.ordered_at >= thanks.updated_at, Order.buyer_username != "")
        .order_by(col(Order.ordered_at))
    ).all()
    sent = []
    for order in orders:
        if room <= 0:
            break
        if order.id in thanked or order.marketplace == "local":
            continue
        items = order_items(session, order.id or 0)
        body = fill(thanks.body, values_for(session, order.buyer_name, items, order))
        to = Recipient(order.marketplace, order.buyer_username, order.buyer_name)
        sent.append(
            queue_message(
                session, to, "thank_you", body, order_id=order.id, automatic=True, now=moment
            )
        )
        room -= 1
    return sent


def order_items(session: Session, order_id: int) -> list[Item]:
    ids = session.exec(select(OrderLine.item_id).where(OrderLine.order_id == order_id)).all()
    return list(session.exec(select(Item).where(col(Item.id).in_([i for i in ids if i]))).all())


def _messaged(session: Session, kind: str) -> set[str]:
    return set(session.exec(select(SentMessage.buyer_id).where(SentMessage.kind == kind)).all())
