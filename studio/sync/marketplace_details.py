"""What a marketplace still needs to know about an item before it is published there, for
the item editor and List on… (core, no Qt).

eBay lists an item in one of its own categories, with the item specifics ("aspects") that
category requires (Brand, Size, Department, Size Type...) and a condition the category
takes. Those come from eBay's look-ups, which `sync/connection.listing_lookups` builds for
an account and the adapter answers in the values below. Each answer is kept in the database
(MarketplaceLookup), so the editor opens without asking eBay again and, offline, works with
what eBay said last; when eBay was never asked, it says so rather than guess. The category
the seller confirms is remembered per studio category (MarketplaceCategory), for every item
of it, and goes to eBay with the listing (sync/listing_fields.py).
"""

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlmodel import Session, col, select

from studio.inventory.tables import Item, utc_now
from studio.sync.tables import MarketplaceAccount, MarketplaceCategory, MarketplaceLookup

EBAY = "ebay"  # MarketplaceAccount.kind of an eBay account (the adapter's EbayClient.kind)
# Item fields a marketplace's listing takes beyond the fields every marketplace gets: the
# Seller API refuses a field it does not know, eBay lists these as item specifics (its
# adapter reads them by these names, marketplaces/ebay/listing_json.py).
EXTRA_FIELDS: dict[str, tuple[str, ...]] = {
    EBAY: ("color", "material", "style", "department", "aspects")
}
# The listing field that carries the marketplace's own category, for those that have one.
CATEGORY_FIELD = {EBAY: "ebay_category_id"}
# What the marketplace said is trusted this long; after that the editor asks again when it
# opens (and keeps showing the old answer if the marketplace cannot be reached).
FRESH_FOR = timedelta(days=30)


@dataclass(frozen=True)
class Category:
    category_id: str
    label: str  # its path in the marketplace's words, the top first


@dataclass(frozen=True)
class AspectSpec:
    """One item specific of a category, as the marketplace names it."""

    name: str  # e.g. "Brand", "Size Type"
    required: bool
    recommended: bool = False
    field: str | None = None  # the item field that gives it (brand, department...), if any
    values: tuple[str, ...] = ()  # the marketplace's suggested (or only allowed) values
    selection_only: bool = False


@dataclass(frozen=True)
class ConditionSpec:
    """A condition the category takes."""

    description: str  # the marketplace's name for it here, e.g. "Pre-owned"
    word: str  # the studio's condition word that lists as it, e.g. "Good"
    words: tuple[str, ...]  # every condition word (lower case) that lists as it


@dataclass(frozen=True)
class CategoryFacts:
    aspects: tuple[AspectSpec, ...]
    conditions: tuple[ConditionSpec, ...] = ()  # () when the marketplace states none
    condition_required: bool = False


class Lookups(Protocol):
    """One account's look-ups; every call may go over the network (and fail with the
    port's errors: Unreachable, AuthFailed...)."""

    def suggest(self, words: str) -> list[Category]: ...

    def facts(self, category_id: str) -> CategoryFacts: ...

    def close(self) -> None: ...


# Reading and writing the kept answers


def kind_of(session: Session, marketplace: str) -> str:
    account = session.get(MarketplaceAccount, marketplace)
    return account.kind if account is not None else ""


def detail_accounts(session: Session) -> list[str]:
    """The connected accounts whose listings need these details (eBay's), oldest first."""
    query = (
        select(MarketplaceAccount.name)
        .where(col(MarketplaceAccount.kind).in_(tuple(CATEGORY_FIELD)))
        .order_by(col(MarketplaceAccount.connected_at))
    )
    return list(session.exec(query))


def words_for(title: str, category: str) -> str:
    """What the marketplace is asked to suggest a category for: the title and the studio's
    category, in one form so the same item is looked up under the same key."""
    return " ".join(f"{title} {category}".lower().split())


SUGGEST, FACTS = "suggest:", "category:"  # the kinds of look-up, as their keys begin


def _suggest_key(words: str) -> str:
    return f"{SUGGEST}{words}"


def _facts_key(category_id: str) -> str:
    return f"{FACTS}{category_id}"


def _categories(data: Any) -> tuple[Category, ...]:
    return tuple(Category(**row) for row in data)


def _facts(data: dict[str, Any]) -> CategoryFacts:
    return CategoryFacts(
        aspects=tuple(
            AspectSpec(**{**row, "values": tuple(row.get("values", ()))})
            for row in data.get("aspects", [])
        ),
        conditions=tuple(
            ConditionSpec(**{**row, "words": tuple(row.get("words", ()))})
            for row in data.get("conditions", [])
        ),
        condition_required=bool(data.get("condition_required")),
    )


def _keep(session: Session, marketplace: str, key: str, answer: Any, at: datetime) -> None:
    row = session.get(MarketplaceLookup, (marketplace, key)) or MarketplaceLookup(
        marketplace=marketplace, key=key
    )
    row.answer = json.dumps(answer, ensure_ascii=False)
    row.fetched_at = at
    session.add(row)


@dataclass(frozen=True)
class Known:
    """What the studio knows, for one account, about an item's category and its needs."""

    marketplace: str
    studio_category: str
    words: str
    chosen: Category | None  # the category the seller confirmed for the studio category
    suggestions: tuple[Category, ...] | None  # None: never asked for these words
    facts: Mapping[str, CategoryFacts]  # by category id, the categories known
    asked_at: datetime | None  # when what decides the needs was asked; None: nothing known

    @property
    def category(self) -> Category | None:
        """The category the item would be listed in: the confirmed one, else the first the
        marketplace suggested for its words."""
        if self.chosen is not None:
            return self.chosen
        return self.suggestions[0] if self.suggestions else None

    @property
    def choices(self) -> list[Category]:
        found = [self.chosen] if self.chosen is not None else []
        found += [c for c in self.suggestions or () if c != self.chosen]
        return found

    @property
    def stale(self) -> bool:
        return self.asked_at is not None and utc_now() - self.asked_at > FRESH_FOR

    def question(self, again: bool = False) -> tuple[str | None, str | None] | None:
        """What to ask the marketplace: (words to suggest categories for, a category whose
        facts are wanted); None when what is known will do. `again`: the seller asked."""
        unsettled = self.chosen is None and (self.suggestions is None or self.stale)
        words = self.words if self.words and (again or unsettled) else None
        if words is not None and self.chosen is None:
            return words, None  # new suggestions may start with another: ask() takes its facts
        category = self.category
        if category is not None and (again or self.stale or category.category_id not in self.facts):
            return words, category.category_id
        return (words, None) if words is not None else None


def read_known(session: Session, marketplace: str, studio_category: str, words: str) -> Known:
    chosen_row = session.get(MarketplaceCategory, (marketplace, studio_category))
    chosen = Category(chosen_row.category_id, chosen_row.label) if chosen_row else None
    suggested = (
        session.get(MarketplaceLookup, (marketplace, _suggest_key(words))) if words else None
    )
    suggestions = _categories(json.loads(suggested.answer)) if suggested else None
    choices = ([chosen] if chosen else []) + list(suggestions or ())
    keys = [_facts_key(choice.category_id) for choice in choices]
    rows = session.exec(
        select(MarketplaceLookup).where(
            MarketplaceLookup.marketplace == marketplace, col(MarketplaceLookup.key).in_(keys)
        )
    )
    facts: dict[str, CategoryFacts] = {}
    times: dict[str, datetime] = {}
    for row in rows:
        category_id = row.key.removeprefix(FACTS)
        facts[category_id], times[category_id] = _facts(json.loads(row.answer)), row.fetched_at
    # How old what decides the needs is: the category's facts, and the suggestion that
    # picked the category when the seller has not.
    category = chosen or (suggestions[0] if suggestions else None)
    asked = None
    if category is not None and category.category_id in times:
        asked = times[category.category_id]
        if chosen is None and suggested is not None:
            asked = min(asked, suggested.fetched_at)
    return Known(marketplace, studio_category, words, chosen, suggestions, facts, asked)


def read_known_for(session: Session, marketplace: str, item: Item) -> Known:
    return read_known(session, marketplace, item.category, words_for(item.title, item.category))


@dataclass(frozen=True)
class Answers:
    words: str | None
    suggestions: tuple[Category, ...] | None
    facts: dict[str, CategoryFacts] = field(default_factory=dict)
    at: datetime = field(default_factory=utc_now)


def ask(lookups: Lookups, words: str | None, category_id: str | None) -> Answers:
    """Asks the marketplace (network, no database): the categories it suggests for `words`,
    and the facts of `category_id`, or else of the first category suggested."""
    try:
        suggestions = tuple(lookups.suggest(words)) if words else None
        if category_id is None and suggestions:
            category_id = suggestions[0].category_id
        facts = {category_id: lookups.facts(category_id)} if category_id else {}
    finally:
        lookups.close()
    return Answers(words, suggestions, facts)


def remember(session: Session, marketplace: str, answers: Answers) -> None:
    if answers.words is not None and answers.suggestions is not None:
        rows = [asdict(c) for c in answers.suggestions]
        _keep(session, marketplace, _suggest_key(answers.words), rows, answers.at)
    for category_id, facts in answers.facts.items():
        _keep(session, marketplace, _facts_key(category_id), asdict(facts), answers.at)


def choose(session: Session, marketplace: str, studio_category: str, category: Category) -> None:
    """Remembers the seller's category there for every item of `studio_category`."""
    row = session.get(MarketplaceCategory, (marketplace, studio_category)) or MarketplaceCategory(
        marketplace=marketplace, studio_category=studio_category, category_id=""
    )
    row.category_id, row.label, row.chosen_at = category.category_id, category.label, utc_now()
    session.add(row)


def listing_category(session: Session, marketplace: str, item: Item) -> str | None:
    """The category the item goes up in there: the one confirmed for its studio category,
    else the first suggestion the seller was shown; None when neither is known."""
    category = read_known_for(session, marketplace, item).category
    return category.category_id if category is not None else None


# What is still missing


def aspects_of(text: str) -> dict[str, str]:
    """The item's specifics (Item.aspects, JSON) as a dict; a row broken by hand is none."""
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def aspects_text(aspects: Mapping[str, str]) -> str:
    """The specifics as Item.aspects keeps them; blank values are no value."""
    kept = {name: value for name, value in aspects.items() if value.strip()}
    return json.dumps(kept, ensure_ascii=False, sort_keys=True)


def _given(aspect: AspectSpec, item: Item, specifics: Mapping[str, str]) -> bool:
    if aspect.field and str(getattr(item, aspect.field, "") or "").strip():
        return True
    wanted = aspect.name.lower()
    return any(name.lower() == wanted and value.strip() for name, value in specifics.items())


def condition_key(text: str) -> str:
    """A condition as the adapter compares it: lower case, single spaces, plain dashes."""
    return " ".join(text.lower().replace("–", "-").split())


def _condition_problem(facts: CategoryFacts, condition: str) -> str:
    if not facts.conditions:
        return ""
    key = condition_key(condition)
    if not key:
        return "Condition" if facts.condition_required else ""
    if any(key in spec.words for spec in facts.conditions):
        return ""
    takes = list(dict.fromkeys(spec.word for spec in facts.conditions))
    either = " or ".join([", ".join(takes[:-1]), takes[-1]] if len(takes) > 1 else takes)
    return f"a condition it takes here ({either})"


@dataclass(frozen=True)
class Needs:
    category: Category | None
    confirmed: bool
    known: bool  # the category's specifics and conditions are known
    missing: tuple[AspectSpec, ...] = ()  # required specifics without a value
    condition: str = ""  # "" when the condition will do; else what it needs, in words

    @property
    def ready(self) -> bool:
        return self.known and not self.missing and not self.condition

    @property
    def names(self) -> list[str]:
        return [aspect.name for aspect in self.missing] + (
            [self.condition] if self.condition else []
        )

    def words(self, where: str = "eBay") -> str:
        """One line for the seller: what is missing, or that nothing is known yet."""
        if not self.known:
            return (
                f"{where} has not been asked about this item yet, so what it needs is not "
                "known: open the item while online."
            )
        return f"{where} needs: {', '.join(self.names)}" if self.names else ""


def needs_of(known: Known, item: Item) -> Needs:
    """What the item (as saved, or as the editor has it now) still lacks there."""
    category = known.category
    facts = known.facts.get(category.category_id) if category is not None else None
    confirmed = known.chosen is not None
    if facts is None:
        return Needs(category, confirmed, known=False)
    specifics = aspects_of(item.aspects)
    missing = tuple(a for a in facts.aspects if a.required and not _given(a, item, specifics))
    condition = _condition_problem(facts, item.condition)
    return Needs(category, confirmed, True, missing, condition)


def needs_of_items(session: Session, marketplace: str, items: Iterable[Item]) -> dict[int, Needs]:
    """Each item's needs there, from what is known (List on… asks no one)."""
    found = {}
    for item in items:
        assert item.id is not None
        found[item.id] = needs_of(read_known_for(session, marketplace, item), item)
    return found
