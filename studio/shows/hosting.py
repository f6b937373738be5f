"""A show hosted on a marketplace: when show mode starts, its line-up (the items live there,
at their opening prices) is scheduled and started on that marketplace, where buyers buy on
air; when it ends, the show ends there too. Their purchases come back through the feed
(studio/shows/live_sales.py). A marketplace without live shows is said so, and the show is
recorded in the studio only."""

from datetime import datetime

from sqlmodel import Session, col, select

from studio.shows.service import ShowError, get_show, lineup
from studio.shows.tables import ShowItem
from studio.storage.credentials import CredentialStore
from studio.storage.database import Database
from studio.sync.connection import build_client
from studio.sync.port import ListingState, ShowHost
from studio.sync.tables import ListingLink


def _line_up_there(
    session: Session, show_id: int, marketplace: str
) -> tuple[str, datetime, list[tuple[str, int | None]], list[str]]:
    """The show's title, start, its unsold items live on `marketplace` as (listing id, show
    price), and the SKUs of the others."""
    view = lineup(session, show_id)
    unsold = view.unsold
    remote = dict(
        session.exec(
            select(ListingLink.item_id, ListingLink.remote_id).where(
                ListingLink.marketplace == marketplace,
                ListingLink.remote_status == ListingState.ACTIVE.value,
                col(ListingLink.item_id).in_([row.item_id for row in unsold]),
            )
        ).all()
    )
    slots = [(str(remote[r.item_id]), r.opening_cents) for r in unsold if remote.get(r.item_id)]
    missing = [row.sku for row in unsold if not remote.get(row.item_id)]
    return view.title, view.starts_at, slots, missing


def go_live(database: Database, credentials: CredentialStore, show_id: int) -> str:
    """Starts the show on its marketplace; returns what to tell the host ("" when the show
    is not hosted anywhere)."""
    with database.session() as session:
        show = get_show(session, show_id)
        marketplace, remote_id = show.marketplace, show.remote_id
        if not marketplace:
            return ""
        title, starts, slots, missing = _line_up_there(session, show_id, marketplace)
    market = build_client(database, credentials, marketplace)
    try:
        if not isinstance(market, ShowHost):
            return f"{marketplace} has no live shows: this show is recorded here only."
        if remote_id is None:
            if not slots:
                raise ShowError(
                    f"None of the show's items is live on {marketplace} yet; sync first."
                )
            remote_id = market.schedule_show(title, starts, slots)
            with database.transaction() as session:
                get_show(session, show_id).remote_id = remote_id
        market.start_show(remote_id)
    finally:
        market.close()
    note = f" Not listed there, so sold here only: {', '.join(missing)}." if missing else ""
    return f"Live on {marketplace}: buyers there buy the line-up at its show prices.{note}"


def end_there(database: Database, credentials: CredentialStore, show_id: int) -> str:
    with database.session() as session:
        show = get_show(session, show_id)
        marketplace, remote_id = show.marketplace, show.remote_id
    if not marketplace or remote_id is None:
        return ""
    market = build_client(database, credentials, marketplace)
    try:
        if isinstance(market, ShowHost):
            market.end_show(remote_id)
    finally:
        market.close()
    return f"The show has ended on {marketplace} too."


def price_there(database: Database, credentials: CredentialStore, show_item_id: int) -> str:
    """Gives buyers on air the line-up item's new show price (a price cut in show mode)."""
    with database.session() as session:
        row = session.get(ShowItem, show_item_id)
        if row is None or row.opening_cents is None:
            return ""
        show = get_show(session, row.show_id)
        link = session.exec(
            select(ListingLink).where(
                ListingLink.item_id == row.item_id, ListingLink.marketplace == show.marketplace
            )
        ).first()
        if show.remote_id is None or link is None or link.remote_id is None:
            return ""  # not on air there: the price is the host's to say
        remote_id, listing_id, price = show.remote_id, link.remote_id, row.opening_cents
    market = build_client(database, credentials, show.marketplace)
    try:
        if not isinstance(market, ShowHost):
            return ""
        market.price_on_air(remote_id, listing_id, price)
    finally:
        market.close()
    return f"Buyers on {show.marketplace} see the new price."
