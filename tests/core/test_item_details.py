"""The item fields resellers live by: measurements, weight, package size, description
templates with them, and the listing checklist."""

import pytest

from studio.inventory import checklist, descriptions, measures
from studio.inventory import service as inventory
from studio.placeholders import TemplateError


@pytest.mark.parametrize(
    ("text", "hundredths"),
    [("21.5", 2150), ('21.5"', 2150), ("21.25 in", 2125), ("55 cm", 2165), ("540 mm", 2126)],
)
def test_lengths_in_inches_or_centimetres(text, hundredths) -> None:
    assert measures.parse_length(text) == hundredths


@pytest.mark.parametrize(
    ("text", "tenths", "shown"),
    [
        ("12", 120, "12 oz"),
        ("1 lb 4 oz", 200, "1 lb 4 oz"),
        ("340 g", 120, "12 oz"),
        ("0.5 kg", 176, "1 lb 1.6 oz"),
    ],
)
def test_weights_as_sellers_write_them(text, tenths, shown) -> None:
    assert measures.parse_weight(text) == tenths
    assert measures.show_weight(tenths) == shown


def test_bad_measurements_say_how_to_write_them(database, add_item) -> None:
    with pytest.raises(inventory.ValidationError) as problem:
        inventory.parse_values({"pit_to_pit": "about 20", "weight": "heavy", "package_size": "big"})
    assert "write inches like 21.5" in str(problem.value.errors["pit_to_pit"])
    assert "1 lb 4 oz" in str(problem.value.errors["weight"])
    assert "length x width x height" in str(problem.value.errors["package_size"])
    with pytest.raises(inventory.ValidationError, match="longer than 200 inches"):
        inventory.parse_values({"inseam": "900"})  # a typo: longer than any garment


def test_a_description_template_fills_measurements_and_skips_what_is_missing(add_item) -> None:
    tee = add_item(
        title="Band tee",
        brand="Hanes",
        size="L",
        condition="Good",
        flaws="Small hole at hem",
        pit_to_pit="21.5",
        length="28",
    )
    text = descriptions.render(descriptions.DEFAULT_BODY, tee)
    assert "Brand: Hanes" in text and "Flaws: Small hole at hem" in text
    assert "Pit to pit: 21.5 in\nLength: 28 in" in text
    assert "Material" not in text and "Inseam" not in text  # not given: no empty line
    bag = add_item(title="Coach tote", brand="Coach")
    assert "Measurements" not in descriptions.render(descriptions.DEFAULT_BODY, bag)


def test_templates_are_stored_and_checked(database) -> None:
    with database.transaction() as session:
        assert [t.name for t in descriptions.templates(session)] == ["Standard"]
        descriptions.save_template(session, "Denim", "{brand} jeans, waist {waist}")
        with pytest.raises(TemplateError, match="Unknown field colour"):
            descriptions.save_template(session, "Oops", "{colour}")
        assert [t.name for t in descriptions.templates(session)] == ["Standard", "Denim"]


def test_the_checklist_asks_for_what_this_kind_of_item_needs(add_item) -> None:
    jeans = add_item(
        title="Levi's 501",
        category="Bottoms",
        brand="Levi's",
        size="30",
        condition="Good",
        list_price_cents="45",
        description="Classic.",
        waist="15",
    )
    missing = checklist.checklist(jeans, photo_count=1)
    assert [(m.field, m.required) for m in missing] == [("inseam", True), ("weight", False)]
    assert not checklist.is_ready(jeans, 1)
    boots = add_item(title="Blundstone boots", category="Shoes")
    fields = {m.field for m in checklist.checklist(boots, photo_count=0)}
    assert {"insole", "photos", "brand", "list_price_cents"} <= fields
    assert "pit_to_pit" not in fields
