"""Text with {fields}, as the seller writes it for cards, slips, messages and descriptions.

A part in [square brackets] that names a field prints only when all its fields have values,
so "Thanks for shopping[ with {shop_name}]!" reads well before the shop has a name, and
"[Flaws: {flaws}]" disappears for an item without any. Brackets around plain text print as
written.
"""

import re
from collections.abc import Collection, Mapping

FIELD = re.compile(r"\{(\w+)\}")
_OPTIONAL = re.compile(r"\[([^\[\]]*\{\w+\}[^\[\]]*)\]")
_STRAY_BRACE = re.compile(r"[{}]")


class TemplateError(ValueError):
    """A template that cannot be filled; the message names what to change."""


def fill(text: str, values: Mapping[str, str]) -> str:
    """Puts values into {fields}; an unknown field is left as written so the seller sees it."""

    def optional(match: re.Match[str]) -> str:
        names = FIELD.findall(match.group(1))
        return match.group(1) if all(values.get(name) for name in names) else ""

    with_parts = _OPTIONAL.sub(optional, text)
    return FIELD.sub(lambda match: values.get(match.group(1), match.group(0)), with_parts)


def check(text: str, known: Collection[str]) -> None:
    """Refuses an empty template, a brace that is not part of a field, or an unknown field."""
    if not text.strip():
        raise TemplateError("The text is empty.")
    if _STRAY_BRACE.search(FIELD.sub("", text)):
        raise TemplateError("Unbalanced braces: write fields like {buyer_name}.")
    unknown = sorted({name for name in FIELD.findall(text) if name not in known})
    if unknown:
        raise TemplateError(
            f"Unknown field {', '.join(unknown)}; the fields are {', '.join(sorted(known))}."
        )
