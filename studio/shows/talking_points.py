"""What the host says about an item on air, written ahead from its brand, size, measurements
and condition, and the items that go with it ("goes with" bundle suggestions), so a look
can be styled live. The host edits it freely afterwards."""

from collections.abc import Sequence

from sqlmodel import Session

from studio.inventory.fields import MEASUREMENT_FIELDS, display_value
from studio.inventory.tables import Item
from studio.money import format_money
from studio.seller_tools import bundles
from studio.seller_tools.bundles import Suggestion

GOES_WITH = 2  # more than two pairings is more than a host says while holding an item up


def talking_points(item: Item, goes_with: Sequence[Suggestion] = ()) -> str:
    """One line per point: what it is, its measurements, its condition, what it goes with."""
    lines = []
    what = " · ".join(
        part
        for part in (
            item.brand,
            f"size {item.size}" if item.size else "",
            item.color,
            item.material,
        )
        if part
    )
    if what:
        lines.append(what)
    measured = [
        f"{spec.label.lower()} {display_value(spec, getattr(item, spec.name))} in"
        for spec in MEASUREMENT_FIELDS
        if getattr(item, spec.name) is not None
    ]
    if measured:
        lines.append("Measures " + ", ".join(measured))
    condition = ", ".join(part for part in (item.condition, item.flaws) if part)
    if condition:
        lines.append(f"Condition: {condition}")
    for suggestion in goes_with[:GOES_WITH]:
        price = f" {format_money(suggestion.price_cents)}" if suggestion.price_cents else ""
        why = f" ({suggestion.reasons[0]})" if suggestion.reasons else ""
        lines.append(f"Style with {suggestion.sku} {suggestion.title}{price}{why}")
    return "\n".join(lines)


def for_item(session: Session, item: Item) -> str:
    """Colours come from the listings, not the cover photos: reading every candidate's cover
    the first time would hold the line-up's write for minutes in a large inventory."""
    assert item.id is not None
    return talking_points(item, bundles.suggest(session, [item.id], None, GOES_WITH))
