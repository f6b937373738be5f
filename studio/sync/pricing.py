"""Each marketplace's terms: the seller's price rule there, and the marketplace's fee.

The item keeps one list price. A marketplace's price rule turns it into the price that
marketplace shows: the percentage added first (+10% where the fees are higher), half up to
the cent; then the ending, if any: the nearest price ending in .00 or .99 (halfway goes up,
so ending .99 makes 22.00 21.99, 21.48 20.99 and 21.49 21.99); then never below the
minimum, which wins over the ending since it is the seller's own floor. A rule of 0%, no
ending and no minimum (IDENTITY) sends the list price as it is.

The outbox sends each marketplace its ruled price (studio/sync/outbox.py); a ruled price
coming back from a marketplace is never taken as a new list price (studio/sync/local_apply.py).
Fees are FeeSchedule values (studio/seller_tools/fees.py), one per account.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Self

from sqlmodel import Session, col, select

from studio.inventory.tables import Item
from studio.money import format_money
from studio.seller_tools.fees import BASIS_POINTS, DEFAULT_FEES, FeeSchedule
from studio.sync.port import ListingState, NotConnected
from studio.sync.tables import ListingLink, MarketplaceAccount

ENDINGS = {"": "keeps the cents", "00": "ending .00", "99": "ending .99"}
# Wide enough for any marketplace's fees, narrow enough to catch 1000 typed for 10.00.
MIN_PERCENT, MAX_PERCENT = -50, 100
MAX_CENTS = 100_000_000  # the Seller API's largest amount


class PricingError(ValueError):
    """A rule or fee schedule that cannot be: the message says what is allowed."""


@dataclass(frozen=True)
class PriceRule:
    percent: int = 0  # added to the list price: 10 is +10%
    ending: str = ""  # "" keeps the cents; "00" or "99" sets them
    minimum_cents: int = 0  # never below this (0: no minimum)

    def checked(self) -> Self:
        """The rule, if a seller may set it; PricingError says what is allowed. (Not checked
        on every read: a stored rule is used as it is.)"""
        if not MIN_PERCENT <= self.percent <= MAX_PERCENT:
            raise PricingError(
                f"A price rule adds between {MIN_PERCENT}% and +{MAX_PERCENT}%, "
                f"not {self.percent}%."
            )
        if self.ending not in ENDINGS:
            raise PricingError(f"A price ends in .00, .99 or keeps its cents, not {self.ending!r}.")
        if not 0 <= self.minimum_cents <= MAX_CENTS:
            raise PricingError("The minimum price must be between 0.00 and 1,000,000.00.")
        return self

    @property
    def is_identity(self) -> bool:
        return self == IDENTITY

    @property
    def words(self) -> str:
        """'+10%, ending .99, at least $5.00', or 'the list price'."""
        parts = [f"{self.percent:+d}%"] if self.percent else []
        if self.ending:
            parts.append(ENDINGS.get(self.ending, f"ending .{self.ending}"))
        if self.minimum_cents:
            parts.append(f"at least {format_money(self.minimum_cents)}")
        return ", ".join(parts) or "the list price"


IDENTITY = PriceRule()


def price_on(rule: PriceRule, list_price_cents: int) -> int:
    """The price a marketplace with this rule shows for an item at `list_price_cents`."""
    if rule.is_identity or list_price_cents <= 0:
        return list_price_cents  # no price yet is not a price the rule can shape
    scaled = Decimal(list_price_cents) * (100 + rule.percent) / 100
    price = int(scaled.to_integral_value(rounding=ROUND_HALF_UP))
    if rule.ending in ("00", "99"):
        below = 1 if rule.ending == "99" else 0
        # The nearest whole amount once the ending's cents are added back, at least 1.00.
        whole = (Decimal(price + below) / 100).to_integral_value(rounding=ROUND_HALF_UP)
        price = max(int(whole), 1) * 100 - below
    return max(price, rule.minimum_cents)


def rule_of(account: MarketplaceAccount) -> PriceRule:
    return PriceRule(account.price_percent, account.price_ending, account.price_minimum_cents)


def fees_of(account: MarketplaceAccount) -> FeeSchedule:
    return FeeSchedule(account.fee_rate_bp, account.flat_fee_cents, account.flat_fee_below_cents)


def basis_points(percent: Decimal) -> int:
    """A fee percentage as the basis points it is kept in: 12.5 -> 1250."""
    points = percent * 100
    if not points.is_finite() or points != points.to_integral_value():
        raise PricingError(
            f"A fee is a percentage to two decimals, like 20 or 12.5, not {percent}."
        )
    return int(points)


def check_fees(fees: FeeSchedule) -> FeeSchedule:
    if not 0 <= fees.rate_bp <= BASIS_POINTS:
        raise PricingError(f"A fee is between 0% and 100%, not {fees.rate_percent}%.")
    for cents in (fees.flat_cents, fees.flat_below_cents):
        if not 0 <= cents <= MAX_CENTS:
            raise PricingError("A flat fee and its threshold are between 0.00 and 1,000,000.00.")
    return fees


@dataclass(frozen=True)
class MarketplaceTerms:
    """One marketplace's price rule and fee schedule."""

    name: str
    rule: PriceRule = IDENTITY
    fees: FeeSchedule = DEFAULT_FEES

    def price(self, list_price_cents: int) -> int:
        return price_on(self.rule, list_price_cents)

    @property
    def words(self) -> str:
        """'prices: +10%, ending .99; fee: 20% of the sale, $2.95 below $15.00'."""
        return f"prices: {self.rule.words}; fee: {self.fees.words}"


def terms_of(account: MarketplaceAccount) -> MarketplaceTerms:
    return MarketplaceTerms(account.name, rule_of(account), fees_of(account))


def connected_terms(session: Session) -> list[MarketplaceTerms]:
    """Every connected marketplace's terms, in the order they were connected."""
    accounts = session.exec(
        select(MarketplaceAccount).order_by(col(MarketplaceAccount.connected_at))
    )
    return [terms_of(account) for account in accounts]


def first_terms(session: Session) -> MarketplaceTerms | None:
    """The terms of the marketplace connected first; None while none is connected."""
    terms = connected_terms(session)
    return terms[0] if terms else None


def terms_for(session: Session, marketplace: str) -> MarketplaceTerms:
    """The terms of a marketplace; an account no longer there (a sale recorded before it was
    removed) counts with the list price and the default fee."""
    account = session.get(MarketplaceAccount, marketplace)
    return terms_of(account) if account is not None else MarketplaceTerms(marketplace)


def fee_schedules(session: Session) -> dict[str, FeeSchedule]:
    """Each connected marketplace's fee schedule, by name; look up others with
    `.get(name, DEFAULT_FEES)`."""
    return {terms.name: terms.fees for terms in connected_terms(session)}


@dataclass(frozen=True)
class PublishPreview:
    """One item on one marketplace, as publishing would send it."""

    item_id: int
    sku: str
    title: str
    marketplace: str
    list_price_cents: int | None
    price_cents: int | None  # the price sent there, by its rule; None without a list price
    fee_cents: int | None  # that marketplace's fee at that price
    net_cents: int | None  # what the seller keeps if it sells there at that price
    rule: str  # the rule in words, e.g. "+10%, ending .99" or "the list price"
    listed: bool  # already listed or queued there: publishing again sends nothing


def publish_preview(
    session: Session, item_ids: Sequence[int], marketplace_names: Sequence[str]
) -> list[PublishPreview]:
    """For each item (in the order given) and each marketplace (likewise): the price that
    publishing sends and the net after that marketplace's fee. Ids of items that no longer
    exist are left out; a name that is not a connected marketplace raises NotConnected."""
    terms = {t.name: t for t in connected_terms(session)}
    unknown = [name for name in marketplace_names if name not in terms]
    if unknown:
        raise NotConnected(
            f"No marketplace is called {', '.join(unknown)}; connected: "
            f"{', '.join(terms) or 'none yet'}."
        )
    items = {item.id: item for item in session.exec(select(Item).where(col(Item.id).in_(item_ids)))}
    listed = {
        (link.item_id, link.marketplace)
        for link in session.exec(select(ListingLink).where(col(ListingLink.item_id).in_(item_ids)))
        if link.remote_status != ListingState.DELISTED  # a delisted one would be relisted
    }
    previews = []
    for item_id in item_ids:
        item = items.get(item_id)
        if item is None:
            continue
        for name in marketplace_names:
            market = terms[name]
            price = (
                market.price(item.list_price_cents) if item.list_price_cents is not None else None
            )
            fee = market.fees.fee_cents(price) if price is not None else None
            previews.append(
                PublishPreview(
                    item_id=item_id,
                    sku=item.sku,
                    title=item.title,
                    marketplace=name,
                    list_price_cents=item.list_price_cents,
                    price_cents=price,
                    fee_cents=fee,
                    net_cents=price - fee if price is not None and fee is not None else None,
                    rule=market.rule.words,
                    listed=(item_id, name) in listed,
                )
            )
    return previews
