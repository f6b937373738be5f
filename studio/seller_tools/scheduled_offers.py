"""Scheduled offers to likers: "N% off every D days, K times" for one or many listings.

Each run goes through the ordinary likers offer (studio.seller_tools.likers_offers), so the
floor price holds for scheduled offers as it does for those sent by hand: a run that would
go below the floor, or that finds nobody liking the listing, is skipped and logged, never
sent. Like a price-drop plan, a schedule is cancelled when its item sells.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sqlmodel import Session, col, select

from studio.inventory.tables import Item, ItemStatus, utc_now
from studio.money import format_money
from studio.orders.service import as_utc
from studio.seller_tools.likers_offers import MAX_EXPIRY_HOURS, send_to_likers
from studio.seller_tools.offers import OfferError
from studio.seller_tools.tables import AutomaticAction, ScheduledOffer

MAX_TIMES = 52


@dataclass(frozen=True)
class ScheduleView:
    id: int
    item_id: int
    title: str
    percent_off: int
    shipping_discount_cents: int
    every_days: int
    times: int
    runs: int
    next_due_at: datetime
    status: str
    note: str

    @property
    def terms(self) -> str:
        shipping = (
            f", {format_money(self.shipping_discount_cents)} off shipping"
            if self.shipping_discount_cents
            else ""
        )
        return f"{self.percent_off}% off{shipping} every {self.every_days} days"


def schedule_offers(
    session: Session,
    item_ids: list[int],
    percent_off: int,
    every_days: int,
    times: int,
    shipping_discount_cents: int = 0,
    expires_in_hours: int = 24,
    first_due_at: datetime | None = None,
) -> list[ScheduledOffer]:
    """One schedule per listing, first run at first_due_at (now by default); replaces a
    listing's active schedule."""
    if not 1 <= percent_off <= 90:
        raise OfferError("Offer between 1% and 90% off.")
    if not 1 <= every_days <= 90:
        raise OfferError("Repeat every 1 to 90 days.")
    if not 1 <= times <= MAX_TIMES:
        raise OfferError(f"Repeat 1 to {MAX_TIMES} times.")
    if not 1 <= expires_in_hours <= MAX_EXPIRY_HOURS:
        raise OfferError(f"An offer lasts between 1 and {MAX_EXPIRY_HOURS} hours.")
    if shipping_discount_cents < 0:
        raise OfferError("A shipping discount cannot be negative.")
    for old in _active(session, item_ids):
        _close(session, old, "cancelled", "replaced by a new schedule")
    due = first_due_at or utc_now()
    made = [
        ScheduledOffer(
            item_id=item_id,
            percent_off=percent_off,
            shipping_discount_cents=shipping_discount_cents,
            expires_in_hours=expires_in_hours,
            every_days=every_days,
            times=times,
            next_due_at=due,
        )
        for item_id in item_ids
    ]
    session.add_all(made)
    session.flush()
    return made


def cancel_schedule(session: Session, schedule_id: int, note: str = "cancelled by you") -> None:
    schedule = session.get(ScheduledOffer, schedule_id)
    if schedule is None:
        raise OfferError(f"no scheduled offer with id {schedule_id}")
    _close(session, schedule, "cancelled", note)


def _close(session: Session, schedule: ScheduledOffer, status: str, note: str) -> None:
    schedule.status, schedule.note = status, note
    session.add(schedule)


def _active(session: Session, item_ids: list[int] | None = None) -> list[ScheduledOffer]:
    query = select(ScheduledOffer).where(ScheduledOffer.status == "active")
    if item_ids is not None:
        query = query.where(col(ScheduledOffer.item_id).in_(item_ids))
    return list(session.exec(query.order_by(col(ScheduledOffer.id))).all())


def run_due_offers(session: Session, now: datetime | None = None) -> list[AutomaticAction]:
    """Sends each active schedule's due offer, or logs why it was skipped. After a long
    pause a schedule runs once, not once per missed period, so likers get one offer."""
    moment = now or utc_now()
    logged = []
    for schedule in _active(session):
        item = session.get(Item, schedule.item_id)
        if item is None or item.status in (ItemStatus.SOLD.value, ItemStatus.SHIPPED.value):
            _close(session, schedule, "cancelled", "the item sold")
            continue
        if item.status != ItemStatus.LISTED.value or as_utc(schedule.next_due_at) > moment:
            continue  # delisted or archived: wait; the schedule resumes if it is listed again
        action = _run(session, schedule, item, moment)
        session.add(action)
        logged.append(action)
        schedule.runs += 1
        schedule.next_due_at = moment + timedelta(days=schedule.every_days)
        if schedule.runs >= schedule.times:
            _close(session, schedule, "finished", f"ran {schedule.runs} times")
        session.add(schedule)
    session.flush()
    return logged


def _run(
    session: Session, schedule: ScheduledOffer, item: Item, moment: datetime
) -> AutomaticAction:
    run = f"Scheduled offer {schedule.runs + 1} of {schedule.times}"
    try:
        sent = send_to_likers(
            session,
            [schedule.item_id],
            percent_off=Decimal(schedule.percent_off),
            shipping_discount_cents=schedule.shipping_discount_cents,
            expires_in_hours=schedule.expires_in_hours,
        )
    except OfferError as error:
        return AutomaticAction(
            at=moment,
            kind="scheduled_offer_skipped",
            item_id=item.id,
            detail=f"{run} skipped: {error}",
        )
    if not sent:
        return AutomaticAction(
            at=moment,
            kind="scheduled_offer_skipped",
            item_id=item.id,
            detail=f"{run} skipped: {item.title} is not listed on any marketplace.",
        )
    return AutomaticAction(
        at=moment,
        kind="offer_to_likers",
        item_id=item.id,
        amount_cents=sent[0].amount_cents,
        detail=f"{run}: {format_money(sent[0].amount_cents)} ({schedule.percent_off}% off) "
        f"to {sent[0].likers} liker(s)",
    )


def schedules(session: Session, include_closed: bool = False) -> list[ScheduleView]:
    query = select(ScheduledOffer, Item).join(Item, col(Item.id) == ScheduledOffer.item_id)
    if not include_closed:
        query = query.where(ScheduledOffer.status == "active")
    return [
        ScheduleView(
            id=s.id or 0,
            item_id=s.item_id,
            title=item.title,
            percent_off=s.percent_off,
            shipping_discount_cents=s.shipping_discount_cents,
            every_days=s.every_days,
            times=s.times,
            runs=s.runs,
            next_due_at=as_utc(s.next_due_at),
            status=s.status,
            note=s.note,
        )
        for s, item in session.exec(query.order_by(col(ScheduledOffer.next_due_at))).all()
    ]
