"""How the connected marketplaces stand, in the seller's words: each account's state, sync
as a whole, and the double sales still open.

Read in one session through the task bridge (`read_standing`); the Marketplace section, the
status bar and the sync indicator all show the same reading. Which state an account is in
is the core's call (studio/sync/accounts.py); this module only says it for the window,
without the command lines the terminal's words carry.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlmodel import Session, select

from studio.sync.accounts import AccountState, Health, account_states
from studio.sync.double_sales import DoubleSaleAlert, open_alerts
from studio.sync.status import Overall, SyncSummary, summary
from studio.sync.tables import MarketplaceAccount

# The worst state of any account is the state of sync as a whole.
WORST_FIRST = (Overall.ERROR, Overall.OFFLINE, Overall.PENDING, Overall.UP_TO_DATE)


def day_and_month(moment: datetime) -> str:
    local = moment.astimezone()
    return f"{local.day} {local:%b}"


def in_days(moment: datetime, now: datetime) -> str:
    """Counted in calendar days, as a person counts them: "in 10 days", "tomorrow"."""
    days = (moment.astimezone().date() - now.astimezone().date()).days
    if days <= 0:
        return "today"
    return "tomorrow" if days == 1 else f"in {days} days"


def changes_waiting(count: int) -> str:
    return "1 change" if count == 1 else f"{count} changes"


def verb(count: int, singular: str, plural: str) -> str:
    return singular if count == 1 else plural


@dataclass(frozen=True)
class AccountLine:
    """One connected marketplace as the window shows it."""

    state: AccountState
    signin_ends: datetime | None
    blocked_until: datetime | None
    last_error: str
    now: datetime

    @property
    def name(self) -> str:
        return self.state.name

    @property
    def health(self) -> Health:
        return self.state.health

    @property
    def needs_attention(self) -> bool:
        return self.state.needs_attention

    @property
    def browser_signin(self) -> bool:
        """Only a browser sign-in has an end date (a personal token never lapses), so a
        known end date says the way back in is the browser, not a new token."""
        return self.signin_ends is not None

    def words(self) -> str:
        """The state, short, for the accounts table."""
        if self.health is Health.EXPIRING and self.signin_ends is not None:
            ends = self.signin_ends
            return f"Sign-in ends {in_days(ends, self.now)}, on {day_and_month(ends)}"
        if self.health is Health.SIGNED_OUT:
            return "Signed out: nothing syncs until you reconnect"
        if self.health is Health.WAITING and self.blocked_until is not None:
            until = self.blocked_until.astimezone()
            return f"Taking a break the marketplace asked for, until {until:%H:%M}"
        if self.health is Health.OFFLINE:
            return f"Cannot reach it: {self.last_error}" if self.last_error else "Cannot reach it"
        return "Connected"

    def warning(self) -> str:
        """What to do about an account that needs attention, in a sentence."""
        kept, waiting = "", self.state.waiting_ops
        if waiting:
            kept = (
                f" The {changes_waiting(waiting)} waiting for it {verb(waiting, 'is', 'are')} kept."
            )
        if self.health is Health.SIGNED_OUT:
            return f"{self.name} is signed out: nothing reaches it until you reconnect.{kept}"
        if self.health is Health.EXPIRING and self.signin_ends is not None:
            ends = self.signin_ends
            return (
                f"The sign-in to {self.name} ends {in_days(ends, self.now)}, on "
                f"{day_and_month(ends)}: reconnect before then so syncing never stops."
            )
        return ""

    def short_warning(self) -> str:
        """The same, in a few words, for the status bar."""
        if self.health is Health.SIGNED_OUT:
            return f"{self.name} is signed out"
        if self.signin_ends is not None:
            return f"{self.name}: sign-in ends {in_days(self.signin_ends, self.now)}"
        return ""


@dataclass(frozen=True)
class Standing:
    summary: SyncSummary = field(default_factory=lambda: SyncSummary(Overall.NOT_CONNECTED))
    accounts: tuple[AccountLine, ...] = ()
    double_sales: tuple[DoubleSaleAlert, ...] = ()

    @property
    def attention(self) -> tuple[AccountLine, ...]:
        return tuple(line for line in self.accounts if line.needs_attention)


def combined(named: Sequence[tuple[str, SyncSummary]]) -> SyncSummary:
    """Sync as a whole: the counts added up, the worst state, the latest sync, and each
    account's last problem under its name. One account is shown as it is."""
    if not named:
        return SyncSummary(Overall.NOT_CONNECTED)
    if len(named) == 1:
        return named[0][1]
    summaries = [one for _name, one in named]
    states = {one.state for one in summaries}
    synced = [one.last_sync_at for one in summaries if one.last_sync_at is not None]
    return replace(
        summaries[0],
        state=next(state for state in WORST_FIRST if state in states),
        pending=sum(one.pending for one in summaries),
        parked=sum(one.parked for one in summaries),
        conflicts=sum(one.conflicts for one in summaries),
        last_sync_at=max(synced, default=None),
        last_error="; ".join(f"{name}: {one.last_error}" for name, one in named if one.last_error),
        account=f"{len(named)} marketplaces",
    )


def read_standing(session: Session, now: datetime) -> Standing:
    accounts = {account.name: account for account in session.exec(select(MarketplaceAccount))}
    lines = []
    for state in account_states(session, now):
        account = accounts[state.name]
        lines.append(
            AccountLine(
                state,
                account.signin_expires_at,
                account.blocked_until,
                account.last_error,
                now,
            )
        )
    summaries = [(line.name, summary(session, line.name)) for line in lines]
    return Standing(combined(summaries), tuple(lines), tuple(open_alerts(session)))
