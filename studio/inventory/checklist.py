"""What an item still lacks before it is ready to list, said the way a seller fixes it.

Buyers of clothes ask for measurements first, so the measurements a kind of item needs (pit
to pit and length for a top, waist and inseam for trousers, insole for shoes) are asked for
by what the category and title say it is. Shipping weight is recommended rather than
required: the social marketplace ships by a flat label, while eBay needs it.
"""

import re
from dataclasses import dataclass

from studio.inventory.fields import BY_NAME
from studio.inventory.tables import Item

# The measurements each kind of garment is sold by; matched on category and title words.
MEASUREMENTS_BY_KIND = (
    (re.compile(r"shoe|boot|sneaker|sandal|loafer|heel|clog|trainer", re.I), ("insole",)),
    (re.compile(r"skirt", re.I), ("waist", "length")),
    (
        re.compile(r"jean|pant|trouser|short|legging|jogger|chino|bottom", re.I),
        ("waist", "inseam"),
    ),
    (
        re.compile(
            r"top|shirt|tee|blouse|sweater|cardigan|jacket|coat|dress|hoodie|parka|vest|tank|"
            r"button-down|outerwear|fleece|knit",
            re.I,
        ),
        ("pit_to_pit", "length"),
    ),
)


@dataclass(frozen=True)
class Missing:
    field: str  # the item field to fill in ("photos" for the photos)
    message: str
    required: bool = True


def needed_measurements(item: Item) -> tuple[str, ...]:
    words = f"{item.category} {item.title}"
    return next((names for pattern, names in MEASUREMENTS_BY_KIND if pattern.search(words)), ())


def checklist(item: Item, photo_count: int) -> list[Missing]:
    """Everything missing, required first; an empty list means ready to list."""
    missing = [
        Missing(name, f"Add the {BY_NAME[name].label.lower()}.")
        for name in ("title", "category", "brand", "size", "condition")
        if not getattr(item, name).strip()
    ]
    if item.list_price_cents is None or item.list_price_cents <= 0:
        missing.append(Missing("list_price_cents", "Set a list price."))
    if photo_count == 0:
        missing.append(Missing("photos", "Add at least one photo (the first is the cover)."))
    if not item.description.strip():
        missing.append(Missing("description", "Write a description, or fill one from a template."))
    for name in needed_measurements(item):
        if getattr(item, name) is None:
            label = BY_NAME[name].label.lower()
            missing.append(Missing(name, f"Measure the {label}: buyers ask for it first."))
    if item.weight is None:
        missing.append(Missing("weight", "Weigh it for shipping (eBay needs it).", required=False))
    return sorted(missing, key=lambda entry: not entry.required)


def is_ready(item: Item, photo_count: int) -> bool:
    return not any(entry.required for entry in checklist(item, photo_count))
