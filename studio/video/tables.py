"""Videos: one listing video per item, one "meet the seller" video per marketplace account.

The original stays in the video store untouched; the row holds the recipe (trim, cover,
mute) and the state of the encode it makes, so a quit mid-encode is found and done again.
"""

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Field, SQLModel

from studio.inventory.tables import utc_now


class VideoState(enum.StrEnum):
    ENCODING = "encoding"  # waiting for, or in, its encode; picked up again after a quit
    READY = "ready"
    FAILED = "failed"


@dataclass(frozen=True)
class Owner:
    """Whose video: an item's (its listing video) or an account's ("meet the seller")."""

    item_id: int | None = None
    account: str | None = None

    def __post_init__(self) -> None:
        if (self.item_id is None) == (self.account is None):
            raise ValueError("a video belongs to an item or to an account")


class Video(SQLModel, table=True):
    __tablename__ = "video"

    id: int | None = Field(default=None, primary_key=True)
    # Exactly one of the two is set: a listing's video, or the seller's own introduction.
    item_id: int | None = Field(
        default=None, foreign_key="item.id", ondelete="CASCADE", unique=True
    )
    account: str | None = Field(
        default=None, foreign_key="marketplace_account.name", ondelete="CASCADE", unique=True
    )
    file_hash: str = Field(max_length=64)  # sha256 of the original, its store key
    filename: str = ""
    duration_ms: int = 0  # of the original
    width: int = 0  # as shown
    height: int = 0
    recipe: str = "{}"  # the VideoRecipe as JSON
    state: str = Field(default=VideoState.ENCODING.value, index=True)
    error: str = ""
    encoded_hash: str | None = Field(default=None, max_length=64)  # sha256 of the MP4 made
    encoded_bytes: int = 0
    created_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(default_factory=utc_now)
