"""Who is calling: bearer tokens resolved to a seller or a buyer, and the seller rate limit."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import col, select

from marketplace.credentials import hash_token
from marketplace.models import Seller, Token, utcnow
from marketplace.problems import ProblemError, rate_limited
from marketplace.state import ServerState, client_address, server_state

_bearer = HTTPBearer(auto_error=False, description="A seller or buyer token: `Bearer <token>`")
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="seller-api"'}

SELLER_KINDS = ("personal", "access")


@dataclass(frozen=True)
class SellerContext:
    id: int
    name: str
    currency: str


def _unauthorized(code: str, detail: str) -> ProblemError:
    return ProblemError(401, code, detail, headers=_CHALLENGE)


def _resolve(
    state: ServerState,
    address: str,
    credentials: HTTPAuthorizationCredentials | None,
    kinds: tuple[str, ...],
) -> tuple[Token, Seller | None]:
    """The token row and, in the same read, its seller (if it is a seller token)."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise _unauthorized("missing_token", "Send `Authorization: Bearer <token>`.")
    # An address that keeps sending bad tokens is guessing: it waits before we look again.
    wait = state.bad_token_limiter.wait(address)
    if wait is not None:
        raise rate_limited(wait, _TOO_MANY_BAD_TOKENS)
    with state.db.read() as session:
        row = session.exec(
            select(Token, Seller)
            .join(Seller, col(Seller.id) == Token.seller_id, isouter=True)
            .where(Token.token_hash == hash_token(credentials.credentials))
        ).first()
    token, seller = row if row is not None else (None, None)
    if token is None or token.kind not in kinds:
        raise _bad_token(state, address, "invalid_token", "The token is not recognised.")
    if token.revoked_at is not None:
        raise _bad_token(state, address, "token_revoked", "The token was revoked; sign in again.")
    if token.expires_at is not None and token.expires_at <= utcnow():
        raise _unauthorized("token_expired", "The token expired; refresh it or sign in again.")
    return token, seller


_TOO_MANY_BAD_TOKENS = (
    "Too many requests with an unknown or revoked token from this address; "
    "wait Retry-After seconds, then sign in again for a fresh token."
)


def _bad_token(state: ServerState, address: str, code: str, detail: str) -> ProblemError:
    """A 401, counted against the address; past its allowance, a 429 instead. (An expired
    token is not counted: a well-behaved client meets one every hour.)"""
    wait = state.bad_token_limiter.acquire(address)
    if wait is not None:
        return rate_limited(wait, _TOO_MANY_BAD_TOKENS)
    return _unauthorized(code, detail)


def current_seller(
    request: Request,
    state: Annotated[ServerState, Depends(server_state)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> SellerContext:
    token, seller = _resolve(state, client_address(request), credentials, SELLER_KINDS)
    assert token.seller_id is not None
    wait = state.limiter.acquire(token.seller_id)
    if wait is not None:
        raise rate_limited(wait, "Too many requests for this seller; retry later.")
    if seller is None or seller.id is None:
        raise _unauthorized("invalid_token", "The token's seller no longer exists.")
    return SellerContext(id=seller.id, name=seller.name, currency=seller.currency)


def current_buyer_id(
    request: Request,
    state: Annotated[ServerState, Depends(server_state)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> int:
    token, _ = _resolve(state, client_address(request), credentials, ("buyer",))
    assert token.buyer_id is not None
    return token.buyer_id


SellerDep = Annotated[SellerContext, Depends(current_seller)]
BuyerDep = Annotated[int, Depends(current_buyer_id)]
StateDep = Annotated[ServerState, Depends(server_state)]
