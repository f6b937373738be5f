"""`studio insights`, `studio suggest`, `studio price-drops` and `studio offers` from the
command line."""

import json
from datetime import date

from studio.cli import main
from studio.orders.tables import Order, OrderLine


def run(capsys, data_dir, *argv: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_insights_json_matches_the_figures_and_suggest_gives_reasons(
    capsys, database, data_dir, add_item
):
    dress = add_item(
        title="Black slip dress",
        category="Dresses",
        size="M",
        color="black",
        status="sold",
        cost_cents="5",
    )
    add_item(
        title="Strappy heels",
        category="Shoes",
        color="black",
        status="listed",
        list_price_cents="40",
        floor_price_cents="30",
    )
    with database.transaction() as session:
        order = Order(
            remote_id="1",
            number="L-1",
            buyer_name="Ines Abernathy",
            fee_cents=600,
            shipping_cents=500,
        )
        session.add(order)
        session.flush()
        session.add(
            OrderLine(
                order_id=order.id,
                item_id=dress.id,
                sku=dress.sku,
                title=dress.title,
                price_cents=3000,
            )
        )
    today = date.today().isoformat()

    code, out, _err = run(capsys, data_dir, "insights", "--from", today, "--to", today, "--json")
    figures = json.loads(out)
    assert code == 0
    assert figures["totals"]["profit"] == "14.00"  # 30.00 - 5.00 - 6.00 - 5.00 postage
    assert figures["by_category"]["Dresses"]["sales"] == 1

    code, out, _err = run(capsys, data_dir, "suggest", dress.sku, "--json")
    [suggestion] = json.loads(out)
    assert suggestion["title"] == "Strappy heels"
    assert "shoes go with dresses" in suggestion["reasons"]

    code, out, err = run(capsys, data_dir, "suggest", "NOPE-1")
    assert code == 1 and "no item with SKU NOPE-1" in err


def test_price_drop_plans_and_refused_offers(capsys, data_dir, add_item):
    coat = add_item(
        title="Camel coat", list_price_cents="100", floor_price_cents="80", status="listed"
    )
    code, out, _err = run(capsys, data_dir, "price-drops", "plan", coat.sku, "--percent", "10")
    assert code == 0 and "10% every 7 days" in out
    code, out, _err = run(capsys, data_dir, "price-drops", "list")
    assert "$90.00" in out and "$81.00" in out and "$80.00" in out
    code, _out, err = run(capsys, data_dir, "offers", "send", coat.sku, "--price", "75")
    assert code == 1 and "below its floor price $80.00" in err


def test_an_item_rule_is_set_shown_and_cleared_over_the_global_one(
    capsys, database, data_dir, add_item
):
    from studio.seller_tools import offer_rules

    coat = add_item(title="Camel coat", list_price_cents="100", floor_price_cents="70")
    with database.transaction() as session:
        offer_rules.save_rule(session, None, offer_rules.RuleTerms(counter_percent=95))

    code, out, _err = run(capsys, data_dir, "offers", "rule", coat.sku)
    assert code == 0 and "global rule: decline below the floor, counter at 95%" in out

    code, out, _err = run(
        capsys, data_dir, "offers", "rule", coat.sku, "--counter-percent", "85", "--accept-at", "90"
    )
    assert code == 0
    assert (
        f"{coat.sku} follows: item rule: counter at 85% of the price, accept at or above $90.00"
        in out
    )
    with database.session() as session:
        own = offer_rules.rule_for(session, coat.id)
        assert (own.item_id, own.decline_below_floor) == (coat.id, False)
        decision = offer_rules.decide(offer_rules.terms_of(own), 9000, 10000, 7000)
    assert decision.action == "accept"  # the global rule would have countered at $95.00

    code, out, err = run(capsys, data_dir, "offers", "rule", coat.sku, "--counter-percent", "120")
    assert code == 1 and "between 1 and 99" in err
    code, out, err = run(
        capsys, data_dir, "offers", "rule", coat.sku, "--clear", "--accept-at", "9"
    )
    assert code == 1 and "--clear cannot be combined" in err

    code, out, _err = run(capsys, data_dir, "offers", "rule", coat.sku, "--clear")
    assert code == 0 and "rule cleared" in out and "follows: global rule" in out
    code, out, _err = run(capsys, data_dir, "offers", "rule", coat.sku, "--clear")
    assert "had no rule of its own" in out
    code, _out, err = run(capsys, data_dir, "offers", "rule", "NOPE-1", "--clear")
    assert code == 1 and "no item with SKU NOPE-1" in err
