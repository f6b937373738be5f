"""Server settings, declared once with their defaults."""

from dataclasses import dataclass, field
from pathlib import Path

BASIS_POINTS = 10_000  # in 100%


@dataclass(frozen=True)
class FeeSchedule:
    """The marketplace's fee on a sale: rate_bp of the subtotal (basis points, 2000 = 20%),
    rounded half up to the cent; or flat_cents instead when the subtotal is below
    flat_below_cents (never more than the subtotal). Sellers read it in `GET /v1/me`."""

    rate_bp: int = 2000
    flat_cents: int = 295
    flat_below_cents: int = 1500

    def fee_cents(self, subtotal_cents: int) -> int:
        if subtotal_cents < self.flat_below_cents:
            return min(self.flat_cents, subtotal_cents)
        return (subtotal_cents * self.rate_bp + BASIS_POINTS // 2) // BASIS_POINTS


@dataclass(frozen=True)
class VideoLimits:
    """What a listing video may be; sellers read it in `GET /v1/video-limits`."""

    min_seconds: float = 1.0
    max_seconds: float = 60.0
    max_bytes: int = 100 * 1024 * 1024
    max_long_side: int = 1080
    chunk_bytes: int = 8 * 1024 * 1024  # the largest piece of an upload in one request


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    # None means a SQLite file inside data_dir; otherwise any SQLAlchemy URL (PostgreSQL).
    database_url: str | None = None
    # Requests a seller may make per minute; 0 turns the limit off.
    rate_limit_per_minute: int = 1200
    rate_limit_burst: int = 200
    # Per client address: anonymous buyer sign-ups, and requests with a bad bearer token
    # (so nobody can create accounts or guess tokens at line speed). rate_limit_per_minute=0
    # turns these off too: tests and benchmarks sign up hundreds of buyers from 127.0.0.1.
    signups_per_minute: int = 30
    signup_burst: int = 60
    bad_tokens_per_minute: int = 30
    bad_token_burst: int = 30
    # Reverse proxies (addresses or networks, "10.0.0.5", "10.0.0.0/8") whose X-Forwarded-For
    # names the client, for the per-address limits above. Empty: the header is ignored, as it
    # must be from anyone else (a client could name any address in it).
    trusted_proxies: tuple[str, ...] = ()
    # Consent-page sign-in: failures in a row before a lockout of login_lockout_s, doubling
    # with each further failure (up to an hour); 0 turns that lockout off.
    login_failures_per_seller: int = 5
    login_failures_per_address: int = 20
    login_lockout_s: float = 30.0
    max_body_bytes: int = 64 * 1024
    max_batch_body_bytes: int = 1024 * 1024  # a batch create: up to 25 listings
    max_upload_bytes: int = 10 * 1024 * 1024
    access_token_ttl_s: int = 3600
    refresh_token_ttl_s: int = 30 * 24 * 3600
    auth_code_ttl_s: int = 300
    offer_ttl_s: int = 24 * 3600
    # What the marketplace keeps of each sale; two servers may differ (the demo runs two).
    fees: FeeSchedule = field(default_factory=FeeSchedule)
    video_limits: VideoLimits = field(default_factory=VideoLimits)
    # OAuth public clients allowed to ask sellers for consent (RFC 8252 native apps).
    oauth_clients: tuple[str, ...] = ("seller-studio",)

    @property
    def photo_dir(self) -> Path:
        return self.data_dir / "photos"

    @property
    def video_dir(self) -> Path:
        return self.data_dir / "videos"

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'marketplace.sqlite3'}"
