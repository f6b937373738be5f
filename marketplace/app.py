"""The FastAPI application, assembled from its routers."""

from typing import Any

from fastapi import FastAPI

from marketplace import (
    closet_page,
    listing_routes,
    market_routes,
    oauth_routes,
    offer_routes,
    order_routes,
    photo_routes,
    seller_routes,
    show_routes,
    video_routes,
)
from marketplace.body_limit import BodyLimitMiddleware
from marketplace.config import Settings
from marketplace.db import Database
from marketplace.openapi_doc import build_openapi
from marketplace.problems import install_problem_handlers
from marketplace.rate_limit import FailureLockout, RateLimiter
from marketplace.request_context import RequestContextMiddleware
from marketplace.state import ServerState, trusted_networks

DESCRIPTION = """The Seller API of the reference marketplace. See docs/seller-api.md.
Authenticate with `Authorization: Bearer <token>` (a personal API token or an OAuth access
token). Money is integer cents; times are UTC (RFC 3339); errors are RFC 9457 problem details."""


def build_state(settings: Settings) -> ServerState:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    settings.photo_dir.mkdir(parents=True, exist_ok=True)
    db = Database(settings.resolved_database_url())
    db.create_tables()
    limiter = RateLimiter(settings.rate_limit_per_minute, settings.rate_limit_burst)
    limits_on = settings.rate_limit_per_minute > 0
    lockout = settings.login_lockout_s
    return ServerState(
        settings=settings,
        db=db,
        limiter=limiter,
        signup_limiter=RateLimiter(
            settings.signups_per_minute if limits_on else 0, settings.signup_burst
        ),
        bad_token_limiter=RateLimiter(
            settings.bad_tokens_per_minute if limits_on else 0, settings.bad_token_burst
        ),
        seller_logins=FailureLockout(settings.login_failures_per_seller, lockout),
        address_logins=FailureLockout(settings.login_failures_per_address, lockout),
        trusted_proxies=trusted_networks(settings),
    )


def create_app(state: ServerState) -> FastAPI:
    app = FastAPI(title="Seller API", version="1.0.0", description=DESCRIPTION)
    app.state.server = state
    install_problem_handlers(app)
    app.add_middleware(
        BodyLimitMiddleware,
        max_body_bytes=state.settings.max_body_bytes,
        max_upload_bytes=state.settings.max_upload_bytes,
        max_batch_bytes=state.settings.max_batch_body_bytes,
    )
    # Added last, so it wraps the others and sees everything they and the routes raise.
    app.add_middleware(RequestContextMiddleware)
    for module in (
        oauth_routes,
        seller_routes,
        listing_routes,
        photo_routes,
        video_routes,
        offer_routes,
        order_routes,
        market_routes,
        show_routes,
        closet_page,
    ):
        app.include_router(module.router)

    def openapi() -> dict[str, Any]:
        return build_openapi(app)

    app.openapi = openapi  # type: ignore[method-assign]
    return app
