"""The presets shipped with the app, as data. User presets live in the database."""

from studio.imaging.recipe import (
    AutoAdjust,
    Background,
    Canvas,
    Export,
    FitSubject,
    Recipe,
    RemoveBackground,
    Rotate,
    Shadow,
    Sharpen,
)

SQUARE_WHITE = "Square white cover (1:1)"
PORTRAIT_WHITE = "Portrait 4:5 white"
KEEP_BACKGROUND = "Keep background, just straighten and brighten"


def _white_cover(aspect: str) -> Recipe:
    return Recipe(
        (
            AutoAdjust(strength=0.8),
            RemoveBackground(),
            Background(fill="white"),
            Shadow(),
            FitSubject(margin_pct=8.0),
            Canvas(aspect=aspect, min_long_side=1600),
            Sharpen(),
            Export(quality=88),
        )
    )


SHIPPED_PRESETS: dict[str, Recipe] = {
    SQUARE_WHITE: _white_cover("1:1"),
    PORTRAIT_WHITE: _white_cover("4:5"),
    KEEP_BACKGROUND: Recipe(
        (
            Rotate(),
            AutoAdjust(strength=1.0, brightness=0.1),
            Sharpen(amount=40),
            Export(quality=90),
        )
    ),
}


def shipped_preset(name: str) -> Recipe:
    """A shipped preset by its exact name, or by a case-insensitive unique prefix."""
    if name in SHIPPED_PRESETS:
        return SHIPPED_PRESETS[name]
    matches = [key for key in SHIPPED_PRESETS if key.lower().startswith(name.lower())]
    if len(matches) != 1:
        known = "; ".join(SHIPPED_PRESETS)
        raise KeyError(f"no single preset matches {name!r} (shipped: {known})")
    return SHIPPED_PRESETS[matches[0]]
