"""Real photographs kept in the repository, for tests that want more than a drawn shape
(tests/data/photos/README.md says where they come from and under which licence)."""

from pathlib import Path

SAMPLE_PHOTOS = Path(__file__).resolve().parents[1] / "data" / "photos"
