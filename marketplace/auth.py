"""Who is calling: bearer tokens resolved to a seller or a buyer, and the seller rate limit."""

import math
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import col, select

from marketplace.credentials import hash_token
from marketplace.models import Seller, Token, utcnow
from marketplace.problems import ProblemError
from marketplace.state import ServerState, server_state

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
    state: ServerState, credentials: HTTPAuthorizationCredentials | None, kinds: tuple[str, ...]
) -> tuple[Token, Seller | None]:
    """The token row and, in the same read, its seller (if it is a seller token)."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise _unauthorized("missing_token", "Send `Authorization: Bearer <token>`.")
    with state.db.read() as session:
        row = session.exec(
            select(Token, Seller)
            .join(Seller, col(Seller.id) == Token.seller_id, isouter=True)
            .where(Token.token_hash == hash_token(credentials.credentials))
        ).first()
    token, seller = row if row is not None else (None, None)
    if token is None or token.kind not in kinds:
        raise _unauthorized("invalid_token", "The token is not recognised.")
    if token.revoked_at is not None:
        raise _unauthorized("token_revoked", "The token was revoked; sign in again.")
    if token.expires_at is not None and token.expires_at <= utcnow():
        raise _unauthorized("token_expired", "The token expired; refresh it or sign in again.")
    return token, seller


def current_seller(
    state: Annotated[ServerState, Depends(server_state)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> SellerContext:
    token, seller = _resolve(state, credentials, SELLER_KINDS)
    assert token.seller_id is not None
    wait = state.limiter.acquire(token.seller_id)
    if wait is not None:
        raise ProblemError(
            429,
            "rate_limited",
            "Too many requests for this seller; retry later.",
            headers={"Retry-After": str(max(1, math.ceil(wait)))},
        )
    if seller is None or seller.id is None:
        raise _unauthorized("invalid_token", "The token's seller no longer exists.")
    return SellerContext(id=seller.id, name=seller.name, currency=seller.currency)


def current_buyer_id(
    state: Annotated[ServerState, Depends(server_state)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> int:
    token, _ = _resolve(state, credentials, ("buyer",))
    assert token.buyer_id is not None
    return token.buyer_id


SellerDep = Annotated[SellerContext, Depends(current_seller)]
BuyerDep = Annotated[int, Depends(current_buyer_id)]
StateDep = Annotated[ServerState, Depends(server_state)]
