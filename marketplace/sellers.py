"""Creating seller accounts (from the command line or an embedding process)."""

import re
import secrets

from sqlmodel import select

from marketplace.credentials import hash_password, issue_token
from marketplace.db import Database
from marketplace.models import Seller

NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{1,39}$")


class SellerExists(ValueError):
    pass


def create_seller(db: Database, name: str, password: str | None = None) -> str:
    """Create a seller and return a new personal API token for it (shown once)."""
    if NAME.match(name) is None:
        raise ValueError("A seller name is 2-40 characters: a-z, 0-9, '-' and '_'.")
    with db.write() as session:
        if session.exec(select(Seller).where(Seller.name == name)).first() is not None:
            raise SellerExists(f"Seller {name!r} already exists.")
        salt = secrets.token_hex(16) if password else None
        seller = Seller(
            name=name,
            display_name=name,
            password_salt=salt,
            password_hash=hash_password(password, salt) if password and salt else None,
            ship_from={"name": name},
        )
        session.add(seller)
        session.flush()
        return issue_token(session, "personal", seller_id=seller.id)
