"""What eBay wants to know about an item, for the item editor (core, no Qt): a category for
the title (Taxonomy getCategorySuggestions), the category's item specifics and which of
them are required or recommended (getItemAspectsForCategory), the conditions it allows
(Metadata getItemConditionPolicies), and which required specifics an item still lacks.
EditorLookups answers them in the studio's values (studio/sync/marketplace_details.py).
"""

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from studio.marketplaces.ebay.listing_json import (
    ASPECT_OF_FIELD,
    CONDITION_OF_ID,
    CONDITION_WORDS,
    CONDITIONS,
)
from studio.marketplaces.ebay.rest import EbayHttp
from studio.sync import marketplace_details as studio

TAXONOMY = "/commerce/taxonomy/v1"
METADATA = "/sell/metadata/v1"


@dataclass(frozen=True)
class CategorySuggestion:
    category_id: str
    name: str
    path: tuple[str, ...]  # the ancestors' names, the top first

    @property
    def label(self) -> str:
        return " > ".join((*self.path, self.name))


@dataclass(frozen=True)
class Aspect:
    name: str  # eBay's name for the item specific, e.g. "Brand", "Size Type"
    required: bool
    recommended: bool
    values: tuple[str, ...] = ()  # eBay's suggested (or, when selection_only, allowed) values
    selection_only: bool = False
    multiple: bool = False


@dataclass(frozen=True)
class Condition:
    condition_id: str  # e.g. "1000"; listing_json.CONDITIONS maps the studio's words
    description: str


@dataclass(frozen=True)
class ConditionPolicy:
    category_id: str
    required: bool
    conditions: tuple[Condition, ...]


def suggestions_of(answer: dict[str, Any]) -> list[CategorySuggestion]:
    found = []
    for row in answer.get("categorySuggestions") or []:
        category = row.get("category") or {}
        ancestors = sorted(
            row.get("categoryTreeNodeAncestors") or [],
            key=lambda a: int(a.get("categoryTreeNodeLevel") or 0),
        )
        found.append(
            CategorySuggestion(
                category_id=str(category.get("categoryId", "")),
                name=str(category.get("categoryName", "")),
                path=tuple(str(a.get("categoryName", "")) for a in ancestors),
            )
        )
    return found


def aspects_of(answer: dict[str, Any]) -> list[Aspect]:
    found = []
    for row in answer.get("aspects") or []:
        constraint = row.get("aspectConstraint") or {}
        required = bool(constraint.get("aspectRequired"))
        found.append(
            Aspect(
                name=str(row.get("localizedAspectName", "")),
                required=required,
                # eBay marks required aspects RECOMMENDED too: recommended means "not required
                # but it helps buyers find it" here.
                recommended=not required and constraint.get("aspectUsage") == "RECOMMENDED",
                values=tuple(
                    str(value.get("localizedValue", "")) for value in row.get("aspectValues") or []
                ),
                selection_only=constraint.get("aspectMode") == "SELECTION_ONLY",
                multiple=constraint.get("itemToAspectCardinality") == "MULTI",
            )
        )
    return found


def condition_policies_of(answer: dict[str, Any]) -> list[ConditionPolicy]:
    return [
        ConditionPolicy(
            category_id=str(row.get("categoryId", "")),
            required=bool(row.get("itemConditionRequired")),
            conditions=tuple(
                Condition(str(c.get("conditionId", "")), str(c.get("conditionDescription", "")))
                for c in row.get("itemConditions") or []
            ),
        )
        for row in answer.get("itemConditionPolicies") or []
    ]


def missing_aspects(item_fields: dict[str, Any], aspects: list[Aspect]) -> list[str]:
    """The required item specifics the item gives no value for, by eBay's names, in eBay's
    order. Item fields (brand, size, color, material, style, department) count for the
    aspect of the same meaning; `aspects` in the fields are values set by eBay's names."""
    given = {
        aspect.lower()
        for name, aspect in ASPECT_OF_FIELD.items()
        if str(item_fields.get(name) or "").strip()
    }
    extra = item_fields.get("aspects")
    if isinstance(extra, dict):
        given.update(str(name).lower() for name, value in extra.items() if value)
    return [a.name for a in aspects if a.required and a.name.lower() not in given]


class ListingDetails:
    """The look-ups over one account's connection (its token, its site)."""

    def __init__(self, http: EbayHttp, marketplace_id: str) -> None:
        self.http = http
        self.marketplace_id = marketplace_id
        self._tree_id: str | None = None

    def _get(self, path: str, **params: str) -> dict[str, Any]:
        response = self.http.rest("GET", f"{self.http.env.api}{path}", params=params)
        # 204: eBay found nothing (no suggestion for the words, say).
        return response.json() if response.status_code == 200 and response.content else {}

    def category_tree_id(self) -> str:
        if self._tree_id is None:
            answer = self._get(
                f"{TAXONOMY}/get_default_category_tree_id", marketplace_id=self.marketplace_id
            )
            self._tree_id = str(answer["categoryTreeId"])
        return self._tree_id

    def category_suggestions(self, words: str) -> list[CategorySuggestion]:
        tree = quote(self.category_tree_id(), safe="")
        path = f"{TAXONOMY}/category_tree/{tree}/get_category_suggestions"
        return suggestions_of(self._get(path, q=words))

    def item_aspects(self, category_id: str) -> list[Aspect]:
        tree = quote(self.category_tree_id(), safe="")
        path = f"{TAXONOMY}/category_tree/{tree}/get_item_aspects_for_category"
        return aspects_of(self._get(path, category_id=category_id))

    def condition_policies(self, category_ids: list[str]) -> list[ConditionPolicy]:
        path = f"{METADATA}/marketplace/{quote(self.marketplace_id)}/get_item_condition_policies"
        answer = self._get(path, filter=f"categoryIds:{{{'|'.join(category_ids)}}}")
        return condition_policies_of(answer)


FIELD_OF_ASPECT = {aspect.lower(): name for name, aspect in ASPECT_OF_FIELD.items()}


def condition_specs(policy: ConditionPolicy) -> tuple[studio.ConditionSpec, ...]:
    """The category's conditions in the studio's words: each with every condition word that
    lists as it (listing_json.CONDITIONS, or the enum itself). A condition the studio cannot
    send (a refurbished grade) is left out."""
    specs = []
    for condition in policy.conditions:
        enum = CONDITION_OF_ID.get(condition.condition_id)
        if enum is None:
            continue
        words = tuple(word for word, value in CONDITIONS.items() if value == enum)
        specs.append(
            studio.ConditionSpec(
                description=condition.description,
                word=CONDITION_WORDS.get(enum, condition.description),
                words=(*words, enum.lower()),
            )
        )
    return tuple(specs)


class EditorLookups:
    """The look-ups the item editor makes, over one account's connection, answered in the
    studio's values: categories in words, each item specific with the item field that gives
    it, and the conditions a category takes in the studio's condition words."""

    def __init__(self, details: ListingDetails) -> None:
        self.details = details

    def suggest(self, words: str) -> list[studio.Category]:
        found = self.details.category_suggestions(words)
        return [studio.Category(s.category_id, s.label) for s in found]

    def facts(self, category_id: str) -> studio.CategoryFacts:
        aspects = tuple(
            studio.AspectSpec(
                name=a.name,
                required=a.required,
                recommended=a.recommended,
                field=FIELD_OF_ASPECT.get(a.name.lower()),
                values=a.values,
                selection_only=a.selection_only,
            )
            for a in self.details.item_aspects(category_id)
        )
        policy = next(
            (
                p
                for p in self.details.condition_policies([category_id])
                if p.category_id == category_id
            ),
            None,
        )
        if policy is None:
            return studio.CategoryFacts(aspects)
        return studio.CategoryFacts(aspects, condition_specs(policy), policy.required)

    def close(self) -> None:
        self.details.http.close()
