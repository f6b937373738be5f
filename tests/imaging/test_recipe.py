"""The edit recipe: JSON round trip, validation, and the shipped presets."""

import json

import pytest

from studio.imaging.presets import SHIPPED_PRESETS, shipped_preset
from studio.imaging.recipe import (
    Background,
    Canvas,
    Crop,
    Recipe,
    RecipeError,
    RemoveBackground,
    Rotate,
    Stroke,
)


def test_recipe_survives_json_with_every_setting() -> None:
    recipe = Recipe(
        (
            Rotate(quarter_turns=1, angle=2.5),
            Crop(0.1, 0.05, 0.9, 0.95),
            RemoveBackground("fallback", (Stroke("erase", 0.02, ((0.1, 0.2), (0.3, 0.4))),)),
            Background("gradient", "#ffffff", "#dde3ea", 45.0),
            Canvas("custom", 3, 2, 1200),
        )
    )
    again = Recipe.from_json(recipe.to_json())
    assert again == recipe
    assert again.digest() == recipe.digest()
    assert json.loads(recipe.to_json())["version"] == 1


def test_digest_changes_with_any_setting() -> None:
    base = shipped_preset("Square")
    changed = Recipe(
        tuple(Canvas(min_long_side=2000) if isinstance(s, Canvas) else s for s in base.steps)
    )
    assert changed.digest() != base.digest()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"version": 99, "steps": []}, "newer"),
        ({"steps": [{"step": "sparkle"}]}, "unknown step"),
        ({"steps": [{"step": "crop", "left": 0.8, "right": 0.2}]}, "narrower"),
        ({"steps": [{"step": "background", "color": "red", "fill": "color"}]}, "#rrggbb"),
        ({"steps": [{"step": "canvas"}, {"step": "crop"}]}, "too late"),
        ({"steps": [{"step": "rotate"}, {"step": "rotate"}]}, "twice"),
        ({"steps": [{"step": "rotate", "angle": "a lot"}]}, "rotate"),
        ({"steps": [{"step": "rotate", "spin": 1}]}, "unknown settings"),
    ],
)
def test_bad_recipes_are_refused_with_a_reason(data: object, message: str) -> None:
    with pytest.raises(RecipeError, match=message):
        Recipe.from_dict(data)


def test_the_three_shipped_presets_are_valid_data() -> None:
    assert set(SHIPPED_PRESETS) == {
        "Square white cover (1:1)",
        "Portrait 4:5 white",
        "Keep background, just straighten and brighten",
    }
    for recipe in SHIPPED_PRESETS.values():
        assert Recipe.from_json(recipe.to_json()) == recipe
    assert shipped_preset("portrait").find(Canvas).ratio() == (4, 5)
    assert shipped_preset("keep").find(RemoveBackground) is None
    with pytest.raises(KeyError):
        shipped_preset("nothing like it")
