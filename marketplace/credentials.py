"""Tokens and passwords: only their hashes are stored."""

import hashlib
import hmac
import secrets
from datetime import timedelta

from sqlmodel import Session

from marketplace.models import Token, utcnow

TOKEN_PREFIXES = {
    "personal": "mkp_pat_",
    "access": "mkp_at_",
    "refresh": "mkp_rt_",
    "buyer": "mkp_bt_",
    "code": "mkp_code_",
}


def hash_token(plain: str) -> str:
    return hashlib.sha256(plain.encode()).hexdigest()


def new_secret(kind: str) -> str:
    return TOKEN_PREFIXES[kind] + secrets.token_urlsafe(32)


def hash_password(password: str, salt: str) -> str:
    return hashlib.scrypt(password.encode(), salt=salt.encode(), n=2**14, r=8, p=1).hex()


def password_matches(password: str, salt: str | None, stored: str | None) -> bool:
    if salt is None or stored is None:
        return False
    return hmac.compare_digest(hash_password(password, salt), stored)


def issue_token(
    session: Session,
    kind: str,
    *,
    seller_id: int | None = None,
    buyer_id: int | None = None,
    ttl_s: int | None = None,
    client_id: str | None = None,
    grant_id: str | None = None,
) -> str:
    plain = new_secret(kind)
    expires = utcnow() + timedelta(seconds=ttl_s) if ttl_s is not None else None
    session.add(
        Token(
            token_hash=hash_token(plain),
            kind=kind,
            seller_id=seller_id,
            buyer_id=buyer_id,
            expires_at=expires,
            client_id=client_id,
            grant_id=grant_id,
        )
    )
    return plain
