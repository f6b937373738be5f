"""Standing rules for buyers' offers, per item or for every item, and applying them.

An item's own rule replaces the global one. Each automatic answer is logged, with the rule's
reason in words, in the same transaction that queues it for the marketplace.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from studio.inventory.tables import Item, utc_now
from studio.money import format_money
from studio.seller_tools.fees import percent_of
from studio.seller_tools.offers import answer_offer, answers_given
from studio.seller_tools.tables import AutomaticAction, OfferRule
from studio.sync.port import OfferKind, OfferState
from studio.sync.tables import Offer


@dataclass(frozen=True)
class RuleTerms:
    decline_below_floor: bool = True
    counter_percent: int | None = None
    accept_at_cents: int | None = None


@dataclass(frozen=True)
class Decision:
    action: str  # accept, decline, counter
    amount_cents: int | None  # the counter's amount
    reason: str


def decide(
    terms: RuleTerms, offer_cents: int, list_price_cents: int | None, floor_cents: int | None
) -> Decision | None:
    """What the rule answers to an offer; None leaves it to the seller."""
    money = format_money(offer_cents)
    if terms.accept_at_cents is not None and offer_cents >= terms.accept_at_cents:
        limit = format_money(terms.accept_at_cents)
        return Decision("accept", None, f"{money} is at or above the accept price {limit}")
    if terms.decline_below_floor and floor_cents is not None and offer_cents < floor_cents:
        return Decision("decline", None, f"{money} is below the floor {format_money(floor_cents)}")
    if terms.counter_percent is not None and list_price_cents:
        counter = percent_of(list_price_cents, terms.counter_percent)
        if floor_cents is not None:
            counter = max(counter, floor_cents)
        if offer_cents < counter < list_price_cents:
            return Decision(
                "counter",
                counter,
                f"{money} is under {terms.counter_percent}% of the price: countered at "
                f"{format_money(counter)}",
            )
    return None


def own_rule(session: Session, item_id: int | None) -> OfferRule | None:
    """The rule stored for exactly this item, or the global one for None; no fallback."""
    query = select(OfferRule).where(
        OfferRule.item_id == item_id if item_id is not None else col(OfferRule.item_id).is_(None)
    )
    return session.exec(query).first()


def rule_for(session: Session, item_id: int | None) -> OfferRule | None:
    """The rule that applies to an item: its own, else the global one (item_id None)."""
    own = own_rule(session, item_id) if item_id is not None else None
    return own or own_rule(session, None)


def save_rule(
    session: Session, item_id: int | None, terms: RuleTerms, enabled: bool = True
) -> OfferRule:
    if terms.counter_percent is not None and not 1 <= terms.counter_percent <= 99:
        raise ValueError("The counter percentage must be between 1 and 99.")
    if terms.accept_at_cents is not None and terms.accept_at_cents < 1:
        raise ValueError("The accept price must be above zero.")
    rule = own_rule(session, item_id) or OfferRule(item_id=item_id)
    rule.enabled = enabled
    rule.decline_below_floor = terms.decline_below_floor
    rule.counter_percent = terms.counter_percent
    rule.accept_at_cents = terms.accept_at_cents
    rule.updated_at = utc_now()
    session.add(rule)
    session.flush()
    return rule


def clear_rule(session: Session, item_id: int) -> bool:
    """Removes an item's own rule so the global one applies again; False if it had none."""
    rule = own_rule(session, item_id)
    if rule is None:
        return False
    session.delete(rule)
    session.flush()
    return True


def describe(rule: OfferRule | None) -> str:
    """The rule in words, for the screen and the command line."""
    if rule is None:
        return "no rule, offers wait for you"
    parts = []
    if rule.decline_below_floor:
        parts.append("decline below the floor")
    if rule.counter_percent is not None:
        parts.append(f"counter at {rule.counter_percent}% of the price")
    if rule.accept_at_cents is not None:
        parts.append(f"accept at or above {format_money(rule.accept_at_cents)}")
    scope = "item rule" if rule.item_id is not None else "global rule"
    what = ", ".join(parts) or "nothing to do"
    return f"{scope}: {what}" + ("" if rule.enabled else " (switched off)")


def terms_of(rule: OfferRule) -> RuleTerms:
    return RuleTerms(rule.decline_below_floor, rule.counter_percent, rule.accept_at_cents)


def apply_rules(session: Session, now: datetime | None = None) -> list[AutomaticAction]:
    """Answers every pending buyer offer that a rule covers and nobody has answered yet."""
    pending = session.exec(
        select(Offer).where(
            Offer.kind == OfferKind.BUYER.value, Offer.status == OfferState.PENDING.value
        )
    ).all()
    answered = answers_given(session, [offer.remote_id for offer in pending])
    done = []
    for offer in pending:
        if offer.remote_id in answered:
            continue
        rule = rule_for(session, offer.item_id)
        item = session.get(Item, offer.item_id) if offer.item_id is not None else None
        if rule is None or not rule.enabled or item is None:
            continue
        decision = decide(
            terms_of(rule), offer.amount_cents, item.list_price_cents, item.floor_price_cents
        )
        if decision is None:
            continue
        answer_offer(session, offer.id or 0, decision.action, decision.amount_cents)
        action = AutomaticAction(
            at=now or utc_now(),
            kind=decision.action,
            item_id=item.id,
            offer_remote_id=offer.remote_id,
            buyer_name=offer.buyer_name,
            amount_cents=decision.amount_cents or offer.amount_cents,
            detail=f"{'Item' if rule.item_id else 'Global'} rule: {decision.reason}",
        )
        session.add(action)
        done.append(action)
    session.flush()
    return done


def action_log(session: Session, limit: int = 200) -> list[AutomaticAction]:
    query = select(AutomaticAction).order_by(col(AutomaticAction.at).desc()).limit(limit)
    return list(session.exec(query).all())
