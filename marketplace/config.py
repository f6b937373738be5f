"""Server settings, declared once with their defaults."""

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    # None means a SQLite file inside data_dir; otherwise any SQLAlchemy URL (PostgreSQL).
    database_url: str | None = None
    # Requests a seller may make per minute; 0 turns the limit off.
    rate_limit_per_minute: int = 1200
    rate_limit_burst: int = 200
    max_body_bytes: int = 64 * 1024
    max_upload_bytes: int = 10 * 1024 * 1024
    access_token_ttl_s: int = 3600
    refresh_token_ttl_s: int = 30 * 24 * 3600
    auth_code_ttl_s: int = 300
    offer_ttl_s: int = 24 * 3600
    # OAuth public clients allowed to ask sellers for consent (RFC 8252 native apps).
    oauth_clients: tuple[str, ...] = ("seller-studio",)

    @property
    def photo_dir(self) -> Path:
        return self.data_dir / "photos"

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'marketplace.sqlite3'}"
