"""The edit recipe: an ordered, versioned list of steps with parameters, stored as JSON.

Recipes never touch the original; rendering replays them. Positions (crop box, brush
strokes) are fractions of the upright original, so they hold at any preview size.

Steps run in list order, grouped in phases that must not go backwards: adjust the photo
(rotate, crop, auto_adjust), cut the subject out (remove_background), lay it out (background,
shadow, fit_subject, canvas, composed together), finish (sharpen, watermark), export.
"""

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field, fields
from typing import Any, ClassVar

RECIPE_VERSION = 1
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


class RecipeError(ValueError):
    """A recipe that cannot be used; the message names the step and the value."""


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise RecipeError(message)


def _fraction(name: str, value: float) -> None:
    _require(0.0 <= value <= 1.0, f"{name} must be between 0 and 1, not {value}")


@dataclass(frozen=True)
class Step:
    kind: ClassVar[str]
    phase: ClassVar[int]

    def check(self) -> None:
        """Raise RecipeError when a parameter is out of range."""


@dataclass(frozen=True)
class Rotate(Step):
    kind = "rotate"
    phase = 0
    quarter_turns: int = 0  # clockwise
    angle: float = 0.0  # straighten, degrees clockwise; the tilted corners are cropped off

    def check(self) -> None:
        _require(-45.0 <= self.angle <= 45.0, f"straighten angle {self.angle} is not in ±45°")


@dataclass(frozen=True)
class Crop(Step):
    kind = "crop"
    phase = 0
    left: float = 0.0
    top: float = 0.0
    right: float = 1.0
    bottom: float = 1.0

    def check(self) -> None:
        for name in ("left", "top", "right", "bottom"):
            _fraction(f"crop {name}", getattr(self, name))
        _require(self.right - self.left >= 0.01, "crop is narrower than 1% of the photo")
        _require(self.bottom - self.top >= 0.01, "crop is shorter than 1% of the photo")


@dataclass(frozen=True)
class AutoAdjust(Step):
    kind = "auto_adjust"
    phase = 0
    exposure: bool = True
    white_balance: bool = True
    strength: float = 1.0
    brightness: float = 0.0  # extra lift on top, -1..1

    def check(self) -> None:
        _fraction("auto adjust strength", self.strength)
        _require(-1.0 <= self.brightness <= 1.0, "brightness must be between -1 and 1")


@dataclass(frozen=True)
class Stroke:
    """A touch-up brush stroke in fractions of the upright original."""

    mode: str  # "keep" paints subject back in, "erase" removes it
    radius: float  # of the original's long side
    points: tuple[tuple[float, float], ...]

    def check(self) -> None:
        _require(self.mode in ("keep", "erase"), f"brush mode {self.mode!r} is not keep/erase")
        _require(0.0 < self.radius <= 0.5, f"brush radius {self.radius} is out of range")
        _require(len(self.points) > 0, "a brush stroke needs at least one point")


@dataclass(frozen=True)
class RemoveBackground(Step):
    kind = "remove_background"
    phase = 1
    remover: str = "auto"  # "model", "fallback", or "auto" (model when installed)
    strokes: tuple[Stroke, ...] = ()
    # Give the edge pixels the product's colour instead of a blend with the old backdrop
    # (matting.decontaminate). Off by default: it costs more than the pipeline's 10% budget
    # over the model's own time allows (see README, Performance).
    clean_edges: bool = False
    # Refine the model's mask with the photo itself: cast shadows dropped, holes and specks
    # settled, the edge shaped at full size (refine.py, matting.refine_edge). On by default: it
    # lifts the cut-outs' IoU, for ~5% of the model's time (see README, Performance).
    refine: bool = True

    def check(self) -> None:
        _require(self.remover in ("auto", "model", "fallback"), f"remover {self.remover!r}")
        for stroke in self.strokes:
            stroke.check()


@dataclass(frozen=True)
class Background(Step):
    kind = "background"
    phase = 2
    fill: str = "white"  # "white", "color", "gradient" or "image"
    color: str = "#ffffff"
    color2: str = "#e9e9e9"  # the gradient's far end
    angle: float = 90.0  # gradient direction: 90 runs top to bottom
    image_hash: str | None = None  # a photo in the store, for fill "image"

    def check(self) -> None:
        _require(self.fill in ("white", "color", "gradient", "image"), f"fill {self.fill!r}")
        for colour in (self.color, self.color2):
            _require(bool(_COLOUR.match(colour)), f"colour {colour!r} is not like #rrggbb")
        _require(self.fill != "image" or bool(self.image_hash), "image fill needs an image")


@dataclass(frozen=True)
class Shadow(Step):
    kind = "shadow"
    phase = 2
    opacity: float = 0.35
    softness: float = 0.04  # blur, as a fraction of the subject's height
    height: float = 0.08  # how far the contact shadow reaches, fraction of subject height

    def check(self) -> None:
        _fraction("shadow opacity", self.opacity)
        _fraction("shadow softness", self.softness)
        _fraction("shadow height", self.height)


@dataclass(frozen=True)
class FitSubject(Step):
    kind = "fit_subject"
    phase = 2
    margin_pct: float = 8.0  # empty border on every side, percent of the canvas

    def check(self) -> None:
        _require(0.0 <= self.margin_pct <= 40.0, "fit margin must be 0 to 40 %")


CANVAS_ASPECTS = {"1:1": (1, 1), "4:5": (4, 5), "3:4": (3, 4)}


@dataclass(frozen=True)
class Canvas(Step):
    kind = "canvas"
    phase = 2
    aspect: str = "1:1"  # a key of CANVAS_ASPECTS, or "custom" with width and height
    width: int = 1
    height: int = 1
    min_long_side: int = 1600

    def check(self) -> None:
        _require(self.aspect in (*CANVAS_ASPECTS, "custom"), f"canvas aspect {self.aspect!r}")
        _require(self.width > 0 and self.height > 0, "custom canvas sides must be positive")
        _require(64 <= self.min_long_side <= 8000, "canvas long side must be 64 to 8000 px")

    def ratio(self) -> tuple[int, int]:
        return CANVAS_ASPECTS.get(self.aspect, (self.width, self.height))


@dataclass(frozen=True)
class Sharpen(Step):
    kind = "sharpen"
    phase = 3
    amount: int = 60  # percent
    radius: float = 1.2
    threshold: int = 2

    def check(self) -> None:
        _require(0 <= self.amount <= 300, "sharpen amount must be 0 to 300 %")
        _require(0.1 <= self.radius <= 10, "sharpen radius must be 0.1 to 10 px")


WATERMARK_POSITIONS = ("bottom-right", "bottom-left", "top-right", "top-left", "center")


@dataclass(frozen=True)
class Watermark(Step):
    kind = "watermark"
    phase = 3
    text: str = ""
    logo_hash: str | None = None  # a PNG in the photo store
    position: str = "bottom-right"
    opacity: float = 0.5
    scale: float = 0.2  # logo width, or text height x 5, as a fraction of the canvas width

    def check(self) -> None:
        _require(bool(self.text) or bool(self.logo_hash), "a watermark needs text or a logo")
        _require(self.position in WATERMARK_POSITIONS, f"position {self.position!r}")
        _fraction("watermark opacity", self.opacity)
        _require(0.02 <= self.scale <= 1.0, "watermark scale must be 0.02 to 1")


@dataclass(frozen=True)
class Export(Step):
    kind = "export"
    phase = 4
    format: str = "jpeg"  # "jpeg", "png" or "webp"
    quality: int = 88
    max_bytes: int | None = None  # lower the quality until the file fits

    def check(self) -> None:
        _require(self.format in ("jpeg", "png", "webp"), f"export format {self.format!r}")
        _require(30 <= self.quality <= 100, "export quality must be 30 to 100")
        _require(self.max_bytes is None or self.max_bytes >= 10_000, "max bytes under 10 kB")


STEP_TYPES: dict[str, type[Step]] = {
    cls.kind: cls
    for cls in (
        Rotate,
        Crop,
        AutoAdjust,
        RemoveBackground,
        Background,
        Shadow,
        FitSubject,
        Canvas,
        Sharpen,
        Watermark,
        Export,
    )
}


@dataclass(frozen=True)
class Recipe:
    steps: tuple[Step, ...] = ()
    version: int = field(default=RECIPE_VERSION)

    def __post_init__(self) -> None:
        seen: set[str] = set()
        phase = 0
        for step in self.steps:
            step.check()
            _require(step.kind not in seen, f"step {step.kind} appears twice")
            _require(step.phase >= phase, f"step {step.kind} comes too late in the recipe")
            seen.add(step.kind)
            phase = step.phase

    def find(self, step_type: type[Step]) -> Any:
        """The step of that type, or None."""
        return next((s for s in self.steps if isinstance(s, step_type)), None)

    def with_step(self, step: Step) -> "Recipe":
        """A copy with `step` in place of its kind's step, or added where its kind belongs."""
        if self.find(type(step)) is not None:
            steps = tuple(step if s.kind == step.kind else s for s in self.steps)
            return Recipe(steps, self.version)
        order = list(STEP_TYPES)
        rank = order.index(step.kind)
        at = next((i for i, s in enumerate(self.steps) if order.index(s.kind) > rank), None)
        at = len(self.steps) if at is None else at
        return Recipe((*self.steps[:at], step, *self.steps[at:]), self.version)

    def without(self, step_type: type[Step]) -> "Recipe":
        return Recipe(tuple(s for s in self.steps if not isinstance(s, step_type)), self.version)

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "steps": [{"step": s.kind, **asdict(s)} for s in self.steps],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))

    def digest(self) -> str:
        """Identifies what the recipe produces: equal recipes share cached renders."""
        return hashlib.sha256(self.to_json().encode()).hexdigest()[:24]

    @classmethod
    def from_json(cls, text: str) -> "Recipe":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise RecipeError(f"recipe is not valid JSON: {exc}") from exc
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: Any) -> "Recipe":
        _require(isinstance(data, dict), "a recipe is a JSON object")
        version = data.get("version", RECIPE_VERSION)
        _require(
            isinstance(version, int) and 1 <= version <= RECIPE_VERSION,
            f"recipe version {version!r} is newer than this app understands",
        )
        raw_steps = data.get("steps", [])
        _require(isinstance(raw_steps, list), "recipe steps must be a list")
        return cls(tuple(_step_from_dict(raw) for raw in raw_steps), version)


def _step_from_dict(raw: Any) -> Step:
    _require(isinstance(raw, dict) and "step" in raw, "each step is an object with a 'step'")
    step_type = STEP_TYPES.get(raw["step"])
    _require(step_type is not None, f"unknown step {raw['step']!r}")
    assert step_type is not None
    known = {f.name for f in fields(step_type)}
    unknown = set(raw) - known - {"step"}
    _require(not unknown, f"step {raw['step']} has unknown settings {sorted(unknown)}")
    values = {name: raw[name] for name in known if name in raw}
    if step_type is RemoveBackground and "strokes" in values:
        values["strokes"] = tuple(_stroke_from_dict(s) for s in values["strokes"])
    try:
        step = step_type(**values)
        step.check()
        return step
    except TypeError as exc:
        raise RecipeError(f"step {raw['step']}: {exc}") from exc


def _stroke_from_dict(raw: Any) -> Stroke:
    _require(isinstance(raw, dict), "a brush stroke is an object")
    try:
        points = tuple((float(x), float(y)) for x, y in raw["points"])
        return Stroke(str(raw["mode"]), float(raw["radius"]), points)
    except (KeyError, TypeError, ValueError) as exc:
        raise RecipeError(f"brush stroke is malformed: {exc}") from exc
