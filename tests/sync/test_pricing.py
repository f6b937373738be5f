"""Per-marketplace prices and fees: the price rule's arithmetic, fee schedules, the outbox
sending each marketplace its ruled price without the list price drifting back, re-pricing
on a new rule, the publish preview, offers' nets after the right fee, `studio accounts set`,
and the reference server's fee as a setting. Two real servers on 127.0.0.1 where it matters:
the fixture's (no rule, the default fee) and OTHER (its own fee)."""

import itertools
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from market_buyers import new_buyer
from sqlmodel import select

from marketplace.cli import _settings, build_parser
from marketplace.config import FeeSchedule as ServerFees
from marketplace.embedded import EmbeddedMarketplace, run_embedded
from studio.cli import main
from studio.inventory.tables import Item, utc_now
from studio.orders.tables import Order
from studio.seller_tools import likers_offers, offers, smart_offers
from studio.seller_tools.fees import DEFAULT_FEES, FeeSchedule, fee_cents, net_cents
from studio.sync import local_apply, outbox, pricing
from studio.sync.connection import SELLER_API, build_client, connect_with_token
from studio.sync.engine import SyncEngine
from studio.sync.port import NotConnected
from studio.sync.price_settings import set_fee_schedule, set_price_rule, take_fees
from studio.sync.pricing import PriceRule, PricingError, price_on, publish_preview
from studio.sync.tables import (
    OPEN_STATES,
    Conflict,
    Like,
    ListingLink,
    MarketplaceAccount,
    Offer,
    OpKind,
    OutboxOp,
)

OTHER = "other"
OTHER_FEES = FeeSchedule(rate_bp=1250, flat_cents=0, flat_below_cents=0)  # 12.5%, no flat fee
PLUS_TEN_99 = PriceRule(percent=10, ending="99")
_sellers = itertools.count(1)


# The rule's arithmetic
@pytest.mark.parametrize(
    ("rule", "list_price", "expected"),
    [
        (pricing.IDENTITY, 2049, 2049),  # no rule: the list price as it is
        (PLUS_TEN_99, 2000, 2199),  # 22.00 -> the nearest .99
        (PLUS_TEN_99, 3000, 3299),
        (PriceRule(5), 1010, 1061),  # 10.605 rounds half up to the cent
        (PriceRule(5), 1005, 1055),  # 10.5525 rounds down
        (PriceRule(-10), 1005, 905),  # 9.045 rounds half up too
        (PriceRule(0, "99"), 2148, 2099),  # 21.48 is nearer 20.99 than 21.99
        (PriceRule(0, "99"), 2149, 2199),  # halfway goes up
        (PriceRule(0, "00"), 3249, 3200),
        (PriceRule(0, "00"), 3250, 3300),
        (PriceRule(0, "99"), 40, 99),  # never below 0.99 with that ending
        (PriceRule(0, "00"), 40, 100),
        (PriceRule(0, "99", minimum_cents=500), 300, 500),  # the minimum beats the ending
        (PriceRule(minimum_cents=500), 800, 800),
        (PLUS_TEN_99, 0, 0),  # no price yet is left alone
    ],
)
def test_price_on(rule, list_price, expected):
    assert price_on(rule, list_price) == expected


def test_a_rule_out_of_bounds_is_refused_with_what_is_allowed():
    with pytest.raises(PricingError, match=r"between -50% and \+100%"):
        PriceRule(101).checked()
    with pytest.raises(PricingError, match=r"\.00, \.99"):
        PriceRule(ending="95").checked()
    with pytest.raises(PricingError, match="minimum"):
        PriceRule(minimum_cents=-1).checked()
    assert PriceRule(10, "99", 500).words == "+10%, ending .99, at least $5.00"
    assert pricing.IDENTITY.words == "the list price"


def test_fee_schedules():
    # The default is today's one schedule, so callers without a marketplace are unchanged.
    assert [fee_cents(c) for c in (200, 1000, 1499, 1500, 4500)] == [200, 295, 295, 300, 900]
    assert net_cents(4500) == 3600
    # 1012 * 12.5% = 126.5: half up (the server rounds the same), not to the even 126.
    assert OTHER_FEES.fee_cents(1012) == 127 and net_cents(1012, OTHER_FEES) == 885
    assert OTHER_FEES.fee_cents(100) == 13  # no flat fee below anything
    assert DEFAULT_FEES.words == "20% of the sale, $2.95 below $15.00"
    assert OTHER_FEES.words == "12.5% of the sale"
    assert pricing.basis_points(Decimal("12.5")) == 1250
    with pytest.raises(PricingError, match="two decimals"):
        pricing.basis_points(Decimal("12.345"))
    with pytest.raises(PricingError, match="between 0% and 100%"):
        pricing.check_fees(FeeSchedule(rate_bp=10_001))


# Two real marketplaces
@pytest.fixture(scope="module")
def other_market(tmp_path_factory):
    fees = ServerFees(OTHER_FEES.rate_bp, OTHER_FEES.flat_cents, OTHER_FEES.flat_below_cents)
    with run_embedded(tmp_path_factory.mktemp("other"), rate_limit_per_minute=0, fees=fees) as m:
        yield m


@dataclass
class Two:
    studio: Any  # the `studio` fixture's Studio (tests/sync/conftest.py)
    other: EmbeddedMarketplace
    other_token: str

    def engine(self) -> SyncEngine:
        clients = [
            build_client(self.studio.database, self.studio.credentials, name)
            for name in (SELLER_API, OTHER)
        ]
        for client in clients:
            client._sleep = lambda _seconds: None  # type: ignore[attr-defined]
        return SyncEngine(self.studio.database, self.studio.data_dir, clients)

    def remote_prices(self, item_id: int) -> dict[str, int]:
        servers = {
            SELLER_API: (self.studio.market.base_url, self.studio.token),
            OTHER: (self.other.base_url, self.other_token),
        }
        prices = {}
        for link in self.links(item_id):
            base_url, token = servers[link.marketplace]
            listing = httpx.get(
                f"{base_url}/v1/listings/{link.remote_id}",
                headers={"Authorization": f"Bearer {token}"},
            ).json()
            prices[link.marketplace] = listing["price_cents"]
        return prices

    def links(self, item_id: int) -> list[ListingLink]:
        with self.studio.database.session() as session:
            return list(session.exec(select(ListingLink).where(ListingLink.item_id == item_id)))

    def queued_prices(self, item_id: int) -> dict[str, int]:
        with self.studio.database.session() as session:
            ops = session.exec(
                select(OutboxOp).where(
                    OutboxOp.item_id == item_id,
                    OutboxOp.kind == OpKind.UPDATE_LISTING.value,
                    OutboxOp.state.in_(OPEN_STATES),  # type: ignore[attr-defined]
                )
            ).all()
        return {op.marketplace: outbox.loads(op.payload)["price_cents"] for op in ops}

    def list_on_both(self, list_price: str, title: str = "Linen shirt") -> int:
        item = self.studio.add_item(title=title, list_price_cents=list_price)
        with self.studio.database.transaction() as session:
            outbox.publish(session, session.get(Item, item.id), OTHER)
        assert self.engine().cycle().push.acked == 2
        assert item.id is not None
        return item.id


@pytest.fixture
def two(studio, other_market) -> Two:
    token = other_market.create_seller(f"pricer-{next(_sellers)}")
    connect_with_token(
        studio.database, studio.credentials, other_market.base_url, token, name=OTHER
    )
    return Two(studio, other_market, token)


def ruled(two: Two, rule: PriceRule = PLUS_TEN_99) -> int:
    with two.studio.database.transaction() as session:
        return set_price_rule(session, OTHER, rule)


def test_each_marketplace_gets_its_price_and_a_sync_takes_nothing_back(two):
    assert ruled(two) == 0  # nothing listed there yet
    item_id = two.list_on_both("20")
    assert two.remote_prices(item_id) == {SELLER_API: 2000, OTHER: 2199}

    two.studio.edit(item_id, list_price_cents="30")
    assert two.queued_prices(item_id) == {SELLER_API: 3000, OTHER: 3299}
    two.engine().cycle()
    assert two.remote_prices(item_id) == {SELLER_API: 3000, OTHER: 3299}

    # The feed now echoes both updates: neither is a remote change, nothing goes out.
    report = two.engine().cycle()
    assert report.push.sent == 0, report.summary()
    with two.studio.database.session() as session:
        assert session.get(Item, item_id).list_price_cents == 3000
        assert session.exec(select(Conflict)).all() == []
        assert session.exec(select(OutboxOp).where(OutboxOp.state.in_(OPEN_STATES))).all() == []
    assert two.remote_prices(item_id) == {SELLER_API: 3000, OTHER: 3299}


def test_a_remote_edit_on_a_ruled_marketplace_is_taken_but_its_price_is_not_a_change(two):
    ruled(two)
    item_id = two.list_on_both("20")
    two.studio.edit(item_id, list_price_cents="30")  # queued for both, not sent yet
    [link] = [link for link in two.links(item_id) if link.marketplace == OTHER]
    # Meanwhile the seller retitles the listing on the other marketplace's website.
    edited = httpx.patch(
        f"{two.other.base_url}/v1/listings/{link.remote_id}",
        json={"title": "Linen shirt, washed"},
        headers={
            "Authorization": f"Bearer {two.other_token}",
            "If-Match": str(link.remote_version),
        },
    )
    assert edited.status_code == 200, edited.text

    two.engine().cycle()
    two.engine().cycle()

    with two.studio.database.session() as session:
        item = session.get(Item, item_id)
        assert (item.title, item.list_price_cents) == ("Linen shirt, washed", 3000)
        assert session.exec(select(Conflict)).all() == []
    assert two.remote_prices(item_id) == {SELLER_API: 3000, OTHER: 3299}


def test_a_price_edited_on_a_ruled_marketplace_does_not_become_the_list_price(two):
    ruled(two)
    item_id = two.list_on_both("20")
    [link] = [link for link in two.links(item_id) if link.marketplace == OTHER]
    edited = httpx.patch(
        f"{two.other.base_url}/v1/listings/{link.remote_id}",
        json={"price_cents": 2500},
        headers={
            "Authorization": f"Bearer {two.other_token}",
            "If-Match": str(link.remote_version),
        },
    )
    assert edited.status_code == 200, edited.text

    two.engine().cycle()

    with two.studio.database.session() as session:
        assert session.get(Item, item_id).list_price_cents == 2000
    assert two.remote_prices(item_id) == {SELLER_API: 2000, OTHER: 2500}


def test_taking_remote_fields_leaves_a_ruled_price_out(database, add_item):
    item = add_item(list_price_cents="20")
    with database.transaction() as session:
        session.add(MarketplaceAccount(name=OTHER, base_url="http://127.0.0.1:9", price_percent=5))
        session.add(MarketplaceAccount(name=SELLER_API, base_url="http://127.0.0.1:8"))
    with database.transaction() as session:
        local_apply.take_remote_fields(session, item.id, {"price_cents": 2100, "size": "L"}, OTHER)
    with database.session() as session:
        taken = session.get(Item, item.id)
        assert (taken.list_price_cents, taken.size) == (2000, "L")
    with database.transaction() as session:
        local_apply.take_remote_fields(session, item.id, {"price_cents": 2400}, SELLER_API)
    with database.session() as session:
        assert session.get(Item, item.id).list_price_cents == 2400  # no rule there: it is


def test_a_price_change_the_rule_absorbs_is_not_sent_there(two):
    ruled(two)
    item_id = two.list_on_both("30")  # 32.99 there
    two.studio.edit(item_id, list_price_cents="30.10")  # 33.11 -> still 32.99 there
    assert two.queued_prices(item_id) == {SELLER_API: 3010}


def test_a_new_rule_reprices_the_listings_there_whose_price_changes(two):
    shirt = two.list_on_both("20")
    coat = two.list_on_both("30", title="Wool coat")
    sold = two.list_on_both("25", title="Silk scarf")
    [scarf] = [link for link in two.links(sold) if link.marketplace == OTHER]
    new_buyer(two.other.base_url, "Yusuf Adebayo-Lindqvist").buy(scarf.remote_id)
    two.engine().cycle()  # the sale comes in; the scarf is sold everywhere

    assert ruled(two) == 2  # the shirt and the coat; a sold listing keeps its price
    assert two.queued_prices(shirt) == {OTHER: 2199}
    assert two.queued_prices(coat) == {OTHER: 3299}
    two.engine().cycle()
    assert two.remote_prices(shirt) == {SELLER_API: 2000, OTHER: 2199}
    assert two.remote_prices(coat) == {SELLER_API: 3000, OTHER: 3299}

    # A minimum below every price changes no price there: nothing to send.
    assert ruled(two, PriceRule(10, "99", minimum_cents=1000)) == 0
    assert two.queued_prices(shirt) == {}


def test_the_server_fee_is_a_setting_sellers_read_and_orders_use(two):
    def me(base_url: str, token: str) -> dict:
        headers = {"Authorization": f"Bearer {token}"}
        return httpx.get(f"{base_url}/v1/me", headers=headers).json()["fees"]

    assert me(two.studio.market.base_url, two.studio.token) == {
        "rate_basis_points": 2000,
        "flat_cents": 295,
        "flat_below_cents": 1500,
    }
    assert me(two.other.base_url, two.other_token)["rate_basis_points"] == 1250
    client = build_client(two.studio.database, two.studio.credentials, OTHER)
    try:
        stated = client.fee_schedule()
    finally:
        client.close()
    assert stated == OTHER_FEES
    with two.studio.database.transaction() as session:
        take_fees(session.get(MarketplaceAccount, OTHER), stated)
    with two.studio.database.session() as session:
        assert pricing.terms_for(session, OTHER).fees == OTHER_FEES

    item_id = two.list_on_both("10.12")
    [link] = [link for link in two.links(item_id) if link.marketplace == OTHER]
    new_buyer(two.other.base_url, "Tamar Ōkubo").buy(link.remote_id)
    two.engine().cycle()
    with two.studio.database.session() as session:
        [order] = session.exec(select(Order).where(Order.marketplace == OTHER)).all()
    # The marketplace's own fee (126.5 half up) is what the studio computes for it.
    assert order.fee_cents == 127 == OTHER_FEES.fee_cents(1012)


def test_the_server_command_line_sets_the_fee(tmp_path):
    parser = build_parser()
    args = parser.parse_args(
        ["serve", "--data", str(tmp_path), "--fee-percent", "12.5", "--flat-fee-cents", "0"]
    )
    assert _settings(args).fees == ServerFees(rate_bp=1250, flat_cents=0, flat_below_cents=1500)
    assert _settings(parser.parse_args(["serve", "--data", str(tmp_path)])).fees == ServerFees()
    for wrong in (
        ["--fee-percent", "12.345"],
        ["--fee-percent", "101"],
        ["--flat-fee-cents", "-1"],
    ):
        with pytest.raises(SystemExit):
            parser.parse_args(["serve", *wrong])


# What the seller sees before sending: database only
@pytest.fixture
def shop(database, add_item):
    """An item at 30.00 listed on the default marketplace and on OTHER (+10%, ending .99,
    its own fee), liked on both; another liked only on the default one."""
    shirt = add_item(title="Linen shirt", list_price_cents="30", status="listed")
    tee = add_item(title="Band tee", list_price_cents="20", status="listed")
    now = utc_now()
    with database.transaction() as session:
        session.add(MarketplaceAccount(name=SELLER_API, base_url="http://127.0.0.1:8"))
        session.add(
            MarketplaceAccount(
                name=OTHER,
                base_url="http://127.0.0.1:9",
                connected_at=now + timedelta(seconds=1),
            )
        )
        session.flush()
        set_price_rule(session, OTHER, PLUS_TEN_99)
        set_fee_schedule(session, OTHER, OTHER_FEES)
        likes = [(shirt, SELLER_API, "1"), (shirt, SELLER_API, "2"), (shirt, OTHER, "3")]
        likes += [(tee, SELLER_API, "4"), (tee, SELLER_API, "5")]
        for item, market, buyer in likes:
            session.add(
                Like(
                    marketplace=market,
                    remote_listing_id=f"{market}-{item.id}",
                    item_id=item.id,
                    buyer_id=buyer,
                    changed_at=now - timedelta(days=40),
                )
            )
        listed = ((shirt, SELLER_API, 3000), (shirt, OTHER, 3299), (tee, SELLER_API, 2000))
        for item, market, price in listed:
            session.add(
                ListingLink(
                    item_id=item.id,
                    marketplace=market,
                    remote_id=f"{market}-{item.id}",
                    remote_status="active",
                    base=outbox.dumps({"price_cents": price}),  # as each marketplace has it
                )
            )
    return shirt, tee


def test_publish_preview_gives_each_marketplace_s_price_and_net(database, shop):
    shirt, tee = shop
    with database.session() as session:
        rows = publish_preview(session, [tee.id, shirt.id], [OTHER, SELLER_API])
        with pytest.raises(NotConnected, match="nowhere"):
            publish_preview(session, [tee.id], ["nowhere"])
    assert [
        (r.title, r.marketplace, r.price_cents, r.fee_cents, r.net_cents, r.listed) for r in rows
    ] == [
        ("Band tee", OTHER, 2199, 275, 1924, False),  # 21.99 less 12.5%
        ("Band tee", SELLER_API, 2000, 400, 1600, True),
        ("Linen shirt", OTHER, 3299, 412, 2887, True),
        ("Linen shirt", SELLER_API, 3000, 600, 2400, True),
    ]
    assert rows[0].rule == "+10%, ending .99" and rows[1].rule == "the list price"


def test_offers_show_the_net_after_their_marketplace_s_fee(database, shop):
    shirt, tee = shop
    now = utc_now()
    with database.transaction() as session:
        for market, remote_id in ((SELLER_API, "71"), (OTHER, "72")):
            session.add(
                Offer(
                    marketplace=market,
                    remote_id=remote_id,
                    remote_listing_id=f"{market}-{shirt.id}",
                    item_id=shirt.id,
                    kind="buyer",
                    amount_cents=2500,
                    status="pending",
                    created_at=now,
                    updated_at=now,
                )
            )
    with database.session() as session:
        nets = {o.marketplace: o.net_cents for o in offers.incoming_offers(session)}
    assert nets == {SELLER_API: 2000, OTHER: 2500 - 313}  # 312.5 half up

    with database.session() as session:
        [suggestion] = [s for s in smart_offers.suggest(session, now) if s.item_id == shirt.id]
    # Worked out on the list price, after the dearer of its two marketplaces' fees.
    assert suggestion.net_cents == DEFAULT_FEES.net_cents(suggestion.amount_cents)
    assert f"on {SELLER_API}, where they are highest" in suggestion.reason

    with database.transaction() as session:
        quotes = likers_offers.quote(session, [shirt.id, tee.id], percent_off=Decimal(10))
        sent = likers_offers.send_to_likers(session, [shirt.id, tee.id], percent_off=Decimal(10))
        ops = session.exec(select(OutboxOp).where(OutboxOp.kind == OpKind.OFFER_TO_LIKERS)).all()
        amounts = sorted((op.marketplace, outbox.loads(op.payload)["amount_cents"]) for op in ops)
    # 10% off the price buyers see on each marketplace, after that marketplace's fee.
    assert [
        (q.title, q.marketplace, q.price_cents, q.amount_cents, q.net_cents) for q in quotes
    ] == [
        ("Linen shirt", SELLER_API, 3000, 2700, 2160),
        ("Linen shirt", OTHER, 3299, 2969, 2969 - 371),
        ("Band tee", SELLER_API, 2000, 1800, 1440),  # liked only there: offered only there
    ]
    assert amounts == [(OTHER, 2969), (SELLER_API, 1800), (SELLER_API, 2700)]
    assert sorted(record.net_cents for record in sent) == sorted(q.net_cents for q in quotes)


def test_accounts_set_from_the_command_line(capsys, data_dir, database, shop):
    def run(*argv: str) -> tuple[int, str, str]:
        code = main(["--data-dir", str(data_dir), "accounts", "set", *argv])
        out, err = capsys.readouterr()
        return code, out, err

    code, out, _err = run(
        SELLER_API, "--price-percent", "5", "--price-ending", "00", "--price-minimum", "5",
        "--fee-percent", "15", "--flat-fee", "1.50", "--flat-fee-below", "10",
    )  # fmt: skip
    assert code == 0
    assert (
        "prices: +5%, ending .00, at least $5.00; fee: 15% of the sale, $1.50 below $10.00" in out
    )
    assert "Queued 2 price update(s)" in out  # 30.00 -> 32.00 and 20.00 -> 21.00 there

    code, out, _err = run(SELLER_API, "--price-ending", "keep")  # the rest stays
    assert code == 0 and "prices: +5%, at least $5.00; fee: 15% of the sale" in out
    with database.session() as session:
        account = session.get(MarketplaceAccount, SELLER_API)
        assert (account.price_percent, account.price_ending, account.fee_rate_bp) == (5, "", 1500)

    for argv, message in (
        (["--price-percent", "500"], "between -50% and +100%"),
        (["--fee-percent", "12.345"], "two decimals"),
        (["--flat-fee", "a lot"], "is not an amount"),
    ):
        code, _out, err = run(SELLER_API, *argv)
        assert code == 1 and message in err
    code, _out, err = run("nowhere", "--price-percent", "5")
    assert code == 1 and "No marketplace is called 'nowhere'" in err
    with pytest.raises(SystemExit):
        run(SELLER_API, "--price-ending", "95")
    with database.session() as session:
        assert session.get(MarketplaceAccount, SELLER_API).price_percent == 5  # unchanged
