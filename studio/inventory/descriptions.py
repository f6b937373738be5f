"""Description templates: a listing's text written once with {fields}, filled per item.

Optional [parts] (studio/placeholders.py) drop a line whose field is empty, so one template
serves a tee with flaws and a bag without measurements alike.
"""

from sqlmodel import Session, col, select

from studio import placeholders
from studio.inventory.fields import BY_NAME, MEASUREMENT_FIELDS, display_value
from studio.inventory.tables import DescriptionTemplate, Item

DEFAULT_NAME = "Standard"
DEFAULT_BODY = (
    "{title}\n\n"
    "[Brand: {brand}\n][Size: {size}\n][Colour: {color}\n][Material: {material}\n]"
    "[Style: {style}\n][Condition: {condition}\n][Flaws: {flaws}\n]"
    "[\nMeasurements, laid flat:\n{measurements}\n]"
)
TEXT_FIELDS = (
    "title",
    "brand",
    "size",
    "color",
    "condition",
    "material",
    "style",
    "department",
    "flaws",
    "category",
    "sku",
)
FIELDS = (*TEXT_FIELDS, *(spec.name for spec in MEASUREMENT_FIELDS), "measurements", "weight")


def measurement_lines(item: Item) -> str:
    """'Pit to pit: 21.5 in' per measurement taken, one a line."""
    return "\n".join(
        f"{spec.label}: {display_value(spec, getattr(item, spec.name))} in"
        for spec in MEASUREMENT_FIELDS
        if getattr(item, spec.name) is not None
    )


def values_for(item: Item) -> dict[str, str]:
    values = {name: display_value(BY_NAME[name], getattr(item, name)) for name in TEXT_FIELDS}
    for spec in MEASUREMENT_FIELDS:
        shown = display_value(spec, getattr(item, spec.name))
        values[spec.name] = f"{shown} in" if shown else ""
    values["measurements"] = measurement_lines(item)
    values["weight"] = display_value(BY_NAME["weight"], item.weight)
    return values


def render(body: str, item: Item) -> str:
    """The description an item gets from a template: blank lines at the end trimmed."""
    return placeholders.fill(body, values_for(item)).strip()


def templates(session: Session) -> list[DescriptionTemplate]:
    found = list(session.exec(select(DescriptionTemplate).order_by(col(DescriptionTemplate.id))))
    if not found:
        standard = DescriptionTemplate(name=DEFAULT_NAME, body=DEFAULT_BODY)
        session.add(standard)
        session.flush()
        found = [standard]
    return found


def save_template(session: Session, name: str, body: str) -> DescriptionTemplate:
    """Adds or replaces the template of that name; refuses unknown fields, naming them."""
    name = " ".join(name.split())
    if not name:
        raise placeholders.TemplateError("Give the template a name.")
    placeholders.check(body, FIELDS)
    row = session.exec(
        select(DescriptionTemplate).where(DescriptionTemplate.name == name)
    ).first() or DescriptionTemplate(name=name, body=body)
    row.body = body
    session.add(row)
    session.flush()
    return row


def bodies(session: Session) -> dict[str, str]:
    """Each template's body by name, in the order they were made."""
    return {template.name: template.body for template in templates(session)}
