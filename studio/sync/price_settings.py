"""Setting a marketplace's price rule and fee schedule (`studio accounts set`, and the screen
that shows a marketplace's terms).

A new rule re-prices what is already on that marketplace: one listing update is queued for
each listing still for sale there whose price changes under the new rule (merged into a
change already waiting for it), and goes out with the next sync. A new fee schedule only
changes the nets the studio shows; nothing is sent.
"""

from sqlmodel import Session

from studio.seller_tools.fees import FeeSchedule
from studio.sync import outbox
from studio.sync.port import NotConnected
from studio.sync.pricing import PriceRule, check_fees, terms_of
from studio.sync.tables import MarketplaceAccount


def _account(session: Session, name: str) -> MarketplaceAccount:
    account = session.get(MarketplaceAccount, name)
    if account is None:
        raise NotConnected(f"No marketplace is called {name!r}; see `studio accounts list`.")
    return account


def set_price_rule(session: Session, name: str, rule: PriceRule) -> int:
    """Keeps the rule for marketplace `name` and re-prices its listings; returns how many
    listing updates that queued. PricingError for a rule out of bounds."""
    rule.checked()
    account = _account(session, name)
    account.price_percent = rule.percent
    account.price_ending = rule.ending
    account.price_minimum_cents = rule.minimum_cents
    session.add(account)
    return outbox.reprice(session, name, rule)


def set_terms(session: Session, name: str, rule: PriceRule, fees: FeeSchedule) -> int:
    """Keeps what changed of marketplace `name`'s rule and fees (checking both first, so a
    bad fee does not leave a new rule behind); returns how many listing updates were queued."""
    rule.checked()
    check_fees(fees)
    now = terms_of(_account(session, name))
    repriced = set_price_rule(session, name, rule) if rule != now.rule else 0
    if fees != now.fees:
        set_fee_schedule(session, name, fees)
    return repriced


def set_fee_schedule(session: Session, name: str, fees: FeeSchedule) -> None:
    """Keeps the fee schedule of marketplace `name`. PricingError for one out of bounds."""
    take_fees(_account(session, name), check_fees(fees))


def take_fees(account: MarketplaceAccount, fees: FeeSchedule | None) -> None:
    """The fee schedule a marketplace states for itself (None: it does not say), written on
    its account; the caller adds the account to its session."""
    if fees is None:
        return
    account.fee_rate_bp = fees.rate_bp
    account.flat_fee_cents = fees.flat_cents
    account.flat_fee_below_cents = fees.flat_below_cents
