"""Photo studio tables: the seller's own presets and the photo batch queue."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from studio.inventory.tables import utc_now


class UserPreset(SQLModel, table=True):
    __tablename__ = "user_preset"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80, unique=True)
    recipe: str  # the edit recipe as JSON
    created_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(default_factory=utc_now)


class PhotoBatch(SQLModel, table=True):
    """A batch is written before it starts, so a quit or a crash cannot lose it."""

    __tablename__ = "photo_batch"

    id: int | None = Field(default=None, primary_key=True)
    label: str = ""  # the preset's name, for the progress bar
    recipe: str  # JSON, frozen when the batch was queued
    status: str = Field(default="running", index=True)  # running, done or cancelled
    created_at: datetime = Field(default_factory=utc_now)
    finished_at: datetime | None = None


class PhotoBatchEntry(SQLModel, table=True):
    __tablename__ = "photo_batch_entry"

    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="photo_batch.id", ondelete="CASCADE", index=True)
    position: int
    source: str  # path of the photo file
    file_hash: str | None = Field(default=None, max_length=64)
    output: str | None = None  # where the result is copied, if anywhere
    status: str = Field(default="pending", index=True)  # pending, done or failed
    error: str | None = None
    updated_at: datetime = Field(default_factory=utc_now)
