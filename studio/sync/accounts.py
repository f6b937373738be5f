"""The connected marketplaces: their health as a seller sees it, and removing one.

Each account has its own name, address, credentials (kept under its name), cursor, status
and error. A sign-in that is about to lapse is said WARN_AHEAD early; one that has lapsed or
was revoked is a persistent state that only signing in again clears (queued edits wait).
"""

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, func, select

from studio.storage.credentials import CredentialStore
from studio.storage.database import Database
from studio.sync.port import NotConnected
from studio.sync.pricing import MarketplaceTerms, terms_of
from studio.sync.tables import OPEN_STATES, MarketplaceAccount, OutboxOp, SigninState

WARN_AHEAD = timedelta(days=14)


class Health(enum.StrEnum):
    OK = "ok"
    EXPIRING = "expiring"  # the sign-in lapses within WARN_AHEAD
    SIGNED_OUT = "signed out"  # lapsed or revoked: nothing syncs until the seller signs in
    WAITING = "waiting"  # rate limited: the marketplace asked for a pause
    OFFLINE = "offline"  # the last attempts could not reach it


@dataclass(frozen=True)
class AccountState:
    name: str
    base_url: str
    seller_name: str
    health: Health
    words: str  # the state in a sentence, for the status bar and `studio accounts list`
    last_sync_at: datetime | None
    waiting_ops: int
    terms: MarketplaceTerms

    @property
    def needs_attention(self) -> bool:
        return self.health in (Health.EXPIRING, Health.SIGNED_OUT)


def health_of(account: MarketplaceAccount, now: datetime) -> tuple[Health, str]:
    reconnect = f"connect {account.name} again (`studio connect {account.base_url} --name "
    reconnect += f"{account.name}`); queued changes are kept"
    if account.signin_state == SigninState.EXPIRED:
        return Health.SIGNED_OUT, f"{account.name}: signed out: {reconnect}"
    expires = account.signin_expires_at
    if expires is not None and expires <= now:
        return (
            Health.SIGNED_OUT,
            f"{account.name}: the sign-in lapsed on {expires:%d %b}: {reconnect}",
        )
    if expires is not None and expires - now <= WARN_AHEAD:
        days = max((expires - now).days, 0)
        return (
            Health.EXPIRING,
            f"{account.name}: the sign-in lapses in {days} day(s), on {expires:%d %b}: {reconnect}",
        )
    if account.blocked_until is not None and account.blocked_until > now:
        return (
            Health.WAITING,
            f"{account.name}: asked us to wait until {account.blocked_until:%H:%M}",
        )
    if account.failures:
        return Health.OFFLINE, f"{account.name}: unreachable ({account.last_error})"
    return Health.OK, f"{account.name}: connected as {account.seller_name}"


def account_states(session: Session, now: datetime) -> list[AccountState]:
    waiting = dict(
        session.exec(
            select(OutboxOp.marketplace, func.count())
            .where(col(OutboxOp.state).in_(OPEN_STATES))
            .group_by(col(OutboxOp.marketplace))
        ).all()
    )
    states = []
    for account in session.exec(
        select(MarketplaceAccount).order_by(col(MarketplaceAccount.connected_at))
    ):
        health, words = health_of(account, now)
        states.append(
            AccountState(
                account.name,
                account.base_url,
                account.seller_name,
                health,
                words,
                account.last_sync_at,
                waiting.get(account.name, 0),
                terms_of(account),
            )
        )
    return states


class PendingWork(NotConnected):
    """Removing the account would drop changes that have not reached it yet."""


def remove_account(
    database: Database, credentials: CredentialStore, name: str, drop_waiting: bool = False
) -> int:
    """Forgets the account, its links, cursor and queued changes, and its credentials; the
    local items stay. Refuses while changes wait for it unless `drop_waiting`; returns how
    many waiting changes were dropped."""
    with database.transaction() as session:
        account = session.get(MarketplaceAccount, name)
        if account is None:
            raise NotConnected(f"No marketplace is called {name!r}; see `studio accounts list`.")
        waiting = session.exec(
            select(func.count())
            .select_from(OutboxOp)
            .where(OutboxOp.marketplace == name, col(OutboxOp.state).in_(OPEN_STATES))
        ).one()
        if waiting and not drop_waiting:
            raise PendingWork(
                f"{waiting} change(s) still wait to reach {name}. Sync first (`studio sync`), "
                "or remove it anyway and drop them with --drop-waiting."
            )
        # Links, outbox rows and the cursor go with it (ON DELETE CASCADE); items stay.
        session.delete(account)
    credentials.delete(name)
    from studio.sync.connection import forget_adapter_state  # the adapters load on use

    forget_adapter_state(database.directory, name)
    return int(waiting)
