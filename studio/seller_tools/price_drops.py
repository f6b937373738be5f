"""Scheduled price drops: a plan per item (e.g. 10% every 7 days, stop at the floor), its
planned steps as a timeline, and running the steps that are due.

A step is an ordinary price edit, so the outbox sends it like any other; a cut of 10% or more
makes the marketplace notify every liker. A plan stops at its floor, and is cancelled when
the item sells: a due step is never applied to a sold item, and an edit already queued is
cancelled by the sale itself (studio.sync.local_apply.mark_sold).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sqlmodel import Session, col, select

from studio.inventory.tables import Item, ItemStatus, utc_now
from studio.money import format_money
from studio.orders.service import as_utc
from studio.seller_tools.fees import percent_of
from studio.seller_tools.tables import AutomaticAction, PriceDropPlan, PriceDropStep

MAX_STEPS = 24
NOTIFY_PERCENT = 10  # the marketplace tells likers about cuts of at least this much


class PlanError(ValueError):
    pass


@dataclass(frozen=True)
class StepView:
    number: int
    due_at: datetime
    price_cents: int
    state: str
    notifies_likers: bool


@dataclass(frozen=True)
class PlanView:
    id: int
    item_id: int
    title: str
    sku: str
    start_cents: int
    percent: int
    every_days: int
    stop_cents: int
    status: str
    note: str
    steps: tuple[StepView, ...]


def plan_prices(price_cents: int, percent: int, stop_cents: int) -> list[int]:
    """The price after each step: percent off the price before it, ending at stop_cents."""
    prices: list[int] = []
    current = price_cents
    while current > stop_cents and len(prices) < MAX_STEPS:
        current = max(current - percent_of(current, Decimal(percent)), stop_cents)
        prices.append(current)
    return prices


def create_plan(
    session: Session, item_id: int, percent: int, every_days: int, now: datetime | None = None
) -> PriceDropPlan:
    """Plans drops from the item's price down to its floor; replaces an active plan."""
    item = session.get(Item, item_id)
    if item is None:
        raise PlanError(f"no item with id {item_id}")
    if not 1 <= percent <= 50:
        raise PlanError("Drop between 1% and 50% at each step.")
    if not 1 <= every_days <= 90:
        raise PlanError("Drop every 1 to 90 days.")
    if item.status != ItemStatus.LISTED.value:
        raise PlanError(f"{item.title} is {item.status}; only listed items get price drops.")
    if item.floor_price_cents is None or item.list_price_cents is None:
        raise PlanError(f"Give {item.title} a price and a floor price first.")
    if item.list_price_cents <= item.floor_price_cents:
        raise PlanError(f"{item.title} is already at its floor price.")
    start = now or utc_now()
    for old in _active_plans(session, [item_id]):
        _cancel(session, old, "replaced by a new plan")
    plan = PriceDropPlan(
        item_id=item_id,
        start_cents=item.list_price_cents,
        percent=percent,
        every_days=every_days,
        stop_cents=item.floor_price_cents,
        created_at=start,
    )
    session.add(plan)
    session.flush()
    assert plan.id is not None
    prices = plan_prices(item.list_price_cents, percent, item.floor_price_cents)
    for number, price in enumerate(prices, start=1):
        due = start + timedelta(days=every_days * number)
        session.add(PriceDropStep(plan_id=plan.id, number=number, due_at=due, price_cents=price))
    session.flush()
    return plan


def cancel_plan(session: Session, plan_id: int, note: str = "cancelled by you") -> None:
    plan = session.get(PriceDropPlan, plan_id)
    if plan is None:
        raise PlanError(f"no price-drop plan with id {plan_id}")
    _cancel(session, plan, note)


def _cancel(session: Session, plan: PriceDropPlan, note: str) -> None:
    plan.status = "cancelled"
    plan.note = note
    session.add(plan)
    for step in _steps(session, plan.id or 0):
        if step.state == "planned":
            step.state = "cancelled"
            session.add(step)


def _active_plans(session: Session, item_ids: list[int] | None = None) -> list[PriceDropPlan]:
    query = select(PriceDropPlan).where(PriceDropPlan.status == "active")
    if item_ids is not None:
        query = query.where(col(PriceDropPlan.item_id).in_(item_ids))
    return list(session.exec(query.order_by(col(PriceDropPlan.id))).all())


def _steps(session: Session, plan_id: int) -> list[PriceDropStep]:
    query = select(PriceDropStep).where(PriceDropStep.plan_id == plan_id)
    return list(session.exec(query.order_by(col(PriceDropStep.number))).all())


def run_due_steps(session: Session, now: datetime | None = None) -> list[AutomaticAction]:
    """Applies each active plan's due step. After a long pause only the latest due step
    is applied (the others are marked skipped), so likers hear of one drop, not several."""
    moment = now or utc_now()
    done = []
    for plan in _active_plans(session):
        item = session.get(Item, plan.item_id)
        if item is None or item.status in (ItemStatus.SOLD.value, ItemStatus.SHIPPED.value):
            _cancel(session, plan, "the item sold")
            continue
        if item.status != ItemStatus.LISTED.value:
            continue  # delisted or archived: wait; the plan resumes if it is listed again
        due = [
            s
            for s in _steps(session, plan.id or 0)
            if s.state == "planned" and as_utc(s.due_at) <= moment
        ]
        if not due:
            continue
        for step in due[:-1]:
            step.state = "skipped"
            session.add(step)
        step = due[-1]
        new_price = max(step.price_cents, plan.stop_cents, item.floor_price_cents or 0)
        old_price = item.list_price_cents or 0
        step.state, step.done_at = "done", moment
        session.add(step)
        if new_price < old_price:
            item.list_price_cents = new_price  # the outbox hook queues the listing update
            item.updated_at = moment
            session.add(item)
            action = AutomaticAction(
                at=moment,
                kind="price_drop",
                item_id=item.id,
                amount_cents=new_price,
                detail=f"Price-drop plan step {step.number}: {format_money(old_price)} → "
                f"{format_money(new_price)}",
            )
            session.add(action)
            done.append(action)
        if new_price <= plan.stop_cents or not any(
            s.state == "planned" for s in _steps(session, plan.id or 0)
        ):
            plan.status, plan.note = "finished", "reached the floor price"
            session.add(plan)
    session.flush()
    return done


def timelines(session: Session, include_closed: bool = True) -> list[PlanView]:
    query = select(PriceDropPlan, Item).join(Item, col(Item.id) == PriceDropPlan.item_id)
    if not include_closed:
        query = query.where(PriceDropPlan.status == "active")
    views = []
    for plan, item in session.exec(query.order_by(col(PriceDropPlan.id).desc())).all():
        steps = _steps(session, plan.id or 0)
        previous = plan.start_cents
        step_views = []
        for step in steps:
            cut = percent_of(previous, NOTIFY_PERCENT)
            step_views.append(
                StepView(
                    step.number,
                    as_utc(step.due_at),
                    step.price_cents,
                    step.state,
                    previous - step.price_cents >= cut,
                )
            )
            previous = step.price_cents
        views.append(
            PlanView(
                id=plan.id or 0,
                item_id=plan.item_id,
                title=item.title,
                sku=item.sku,
                start_cents=plan.start_cents,
                percent=plan.percent,
                every_days=plan.every_days,
                stop_cents=plan.stop_cents,
                status=plan.status,
                note=plan.note,
                steps=tuple(step_views),
            )
        )
    return views
