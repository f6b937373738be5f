"""Presets the seller can pick: the shipped ones, then their own from the database."""

from sqlmodel import Session, select

from studio.imaging.presets import SHIPPED_PRESETS
from studio.imaging.recipe import Recipe
from studio.imaging.tables import UserPreset
from studio.inventory.tables import utc_now


def all_presets(session: Session) -> dict[str, Recipe]:
    """Name to recipe, shipped presets first, then the user's in name order."""
    presets = dict(SHIPPED_PRESETS)
    for row in session.exec(select(UserPreset).order_by(UserPreset.name)):
        presets[row.name] = Recipe.from_json(row.recipe)
    return presets


def save_preset(session: Session, name: str, recipe: Recipe) -> None:
    """Create or replace a user preset; the shipped names are kept as shipped."""
    name = name.strip()
    if not name:
        raise ValueError("a preset needs a name")
    if name in SHIPPED_PRESETS:
        raise ValueError(f"{name!r} is a shipped preset; save yours under another name")
    row = session.exec(select(UserPreset).where(UserPreset.name == name)).first()
    if row is None:
        row = UserPreset(name=name, recipe=recipe.to_json())
    else:
        row.recipe, row.updated_at = recipe.to_json(), utc_now()
    session.add(row)


def delete_preset(session: Session, name: str) -> bool:
    row = session.exec(select(UserPreset).where(UserPreset.name == name)).first()
    if row is None:
        return False
    session.delete(row)
    return True
