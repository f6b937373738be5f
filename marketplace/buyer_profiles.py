"""Invented buyers from several countries, in their own scripts, for the simulator."""

from typing import Any

# (given names, family names, street line, city, region, postal code, country)
PROFILES: list[tuple[list[str], list[str], str, str, str | None, str, str]] = [
    (
        ["Maya", "Jordan", "Avery"],
        ["Brooks", "Ellison", "Park"],
        "{n} Maple Avenue",
        "Portland",
        "OR",
        "97205",
        "US",
    ),
    (
        ["Olena", "Taras", "Iryna"],
        ["Koval", "Melnyk", "Bondar"],
        "вул. Січових Стрільців, {n}",
        "Київ",
        None,
        "01054",
        "UA",
    ),
    (
        ["Ελένη", "Νίκος", "Άννα"],
        ["Παπαδοπούλου", "Γεωργίου", "Δημητρίου"],
        "Οδός Ερμού {n}",
        "Αθήνα",
        None,
        "105 63",
        "GR",
    ),
    (
        ["ნინო", "გიორგი", "თამარ"],
        ["ბერიძე", "კაპანაძე", "გელაშვილი"],
        "რუსთაველის გამზ. {n}",
        "თბილისი",
        None,
        "0108",
        "GE",
    ),
    (
        ["Zofia", "Łukasz", "Małgorzata"],
        ["Wójcik", "Dąbrowski", "Zielińska"],
        "ul. Marszałkowska {n}",
        "Warszawa",
        None,
        "00-624",
        "PL",
    ),
    (
        ["Chloé", "Théo", "Inès"],
        ["Lefèvre", "Moreau", "Girard"],
        "{n} rue de la Roquette",
        "Paris",
        None,
        "75011",
        "FR",
    ),
    (
        ["Ayşe", "Emre", "Çağla"],
        ["Yılmaz", "Şahin", "Öztürk"],
        "İstiklal Cad. No:{n}",
        "İstanbul",
        None,
        "34433",
        "TR",
    ),
    (
        ["Անի", "Արամ", "Լիլիթ"],
        ["Պետրոսյան", "Հակոբյան", "Սարգսյան"],
        "Աբովյան փ. {n}",
        "Երևան",
        None,
        "0001",
        "AM",
    ),
    (
        ["Ngọc", "Minh", "Thảo"],
        ["Nguyễn", "Trần", "Phạm"],
        "{n} Đường Lê Lợi",
        "Hồ Chí Minh",
        None,
        "700000",
        "VN",
    ),
]


def buyer_identity(index: int, pick: Any) -> tuple[str, dict[str, str | None]]:
    """The name and address of buyer number `index`; `pick` is a seeded random.choice."""
    given, family, street, city, region, postal, country = PROFILES[index % len(PROFILES)]
    name = f"{pick(given)} {pick(family)}"
    address = {
        "name": name,
        "line1": street.format(n=pick(range(1, 120))),
        "line2": None,
        "city": city,
        "region": region,
        "postal_code": postal,
        "country": country,
    }
    return name, address
