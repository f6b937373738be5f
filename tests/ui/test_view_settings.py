"""The window's declared settings, through real INI files: what is written reads back as the
declared type, what earlier releases wrote still reads, and a missing or garbled entry gives
the default instead of an error at start-up."""

import shutil
from itertools import count
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from studio.ui import view_settings
from studio.ui.view_settings import BOOL, BYTES, FLOAT, IDS, TEXT, Kind, Setting

DECLARED = [value for value in vars(view_settings).values() if isinstance(value, Setting)]
_copies = count()


def ini_file(path: Path) -> QSettings:
    return QSettings(str(path), QSettings.Format.IniFormat)


def reopened(settings: QSettings, tmp_path: Path) -> QSettings:
    """The file as the next start reads it. QSettings keeps, per path and per process, the
    values it wrote, so the file is copied to a new name to be parsed from its text."""
    settings.sync()
    copy = tmp_path / f"reopened-{next(_copies)}.ini"
    shutil.copy(settings.fileName(), copy)
    return ini_file(copy)


def written_by_hand(tmp_path: Path, key: str, raw: str) -> QSettings:
    group, name = key.split("/")
    path = tmp_path / f"by-hand-{next(_copies)}.ini"
    path.write_text(f"[{group}]\n{name}={raw}\n")
    return ini_file(path)


def test_the_keys_are_the_ones_earlier_releases_wrote():
    # A renamed key would silently reset that part of every user's layout.
    assert sorted(setting.key for setting in DECLARED) == [
        "inventory/descending",
        "inventory/header",
        "inventory/sort",
        "photos/items",
        "sync/minutes",
        "welcome/seen",
        "window/geometry",
    ]


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        (BOOL, True),
        (BOOL, False),
        (FLOAT, 0.25),
        (FLOAT, 5.0),
        (TEXT, "updated_at"),
        (TEXT, "a, b"),  # a comma would read back as a list if it were not quoted
        (TEXT, "Größe"),
        (TEXT, ""),
        (BYTES, b"\x00\x01\xfe\xff geometry"),
        (BYTES, b""),
        (IDS, (7,)),
        (IDS, (3, 1, 2)),
    ],
)
def test_a_value_reads_back_as_its_declared_type(tmp_path, kind: Kind, value: object):
    # No default to fall back on: a value that did not survive the file reads as None.
    setting = Setting("check/value", kind, None)
    settings = ini_file(tmp_path / "window.ini")
    setting.write(settings, value)
    read = setting.read(reopened(settings, tmp_path))
    assert read == value and type(read) is type(value)


def test_an_empty_list_of_photo_items_reads_back_empty(tmp_path):
    # Qt writes an empty list as an invalid value, which reads as missing: the default.
    settings = ini_file(tmp_path / "window.ini")
    view_settings.PHOTOS_ITEMS.write(settings, (4,))
    view_settings.PHOTOS_ITEMS.write(settings, ())
    assert view_settings.PHOTOS_ITEMS.read(reopened(settings, tmp_path)) == ()


def test_bools_are_stored_as_true_and_false(tmp_path):
    settings = ini_file(tmp_path / "window.ini")
    view_settings.WELCOME_SEEN.write(settings, True)
    view_settings.INVENTORY_DESCENDING.write(settings, False)
    settings.sync()
    text = (tmp_path / "window.ini").read_text()
    assert "seen=true" in text and "descending=false" in text


@pytest.mark.parametrize(
    ("setting", "raw", "expected"),
    [
        (view_settings.WELCOME_SEEN, "true", True),
        (view_settings.INVENTORY_DESCENDING, "false", False),
        (view_settings.SYNC_MINUTES, "0.25", 0.25),
        (view_settings.INVENTORY_SORT, "title", "title"),
        (view_settings.INVENTORY_HEADER, r"@ByteArray(\0\xff)", b"\x00\xff"),
        (view_settings.PHOTOS_ITEMS, "4, 9, 12", (4, 9, 12)),
        # How Qt writes a one-element list of ints.
        (view_settings.PHOTOS_ITEMS, r"@Variant(\0\0\0\t\0\0\0\x1\0\0\0\x2\0\0\0\x5)", (5,)),
    ],
)
def test_entries_as_earlier_releases_wrote_them_still_read(tmp_path, setting, raw, expected):
    assert setting.read(written_by_hand(tmp_path, setting.key, raw)) == expected


@pytest.mark.parametrize("setting", DECLARED, ids=lambda setting: setting.key)
def test_a_missing_entry_gives_the_default(tmp_path, setting):
    assert setting.read(ini_file(tmp_path / "empty.ini")) == setting.default


GARBLED = {
    BOOL: ["maybe", "1, 2", "@ByteArray(true)"],
    FLOAT: ["fast", "nan", "inf", "1, 2", "@ByteArray(5)"],
    TEXT: ["title, sku", "@ByteArray(title)"],
    BYTES: ["not a byte array", "1, 2"],
    IDS: ["1, two", "seven", "@ByteArray(1)"],
}


@pytest.mark.parametrize(
    ("setting", "raw"),
    [(setting, raw) for setting in DECLARED for raw in GARBLED[setting.kind]],
    ids=lambda param: param.key if isinstance(param, Setting) else param,
)
def test_a_garbled_entry_gives_the_default(tmp_path, setting, raw):
    assert setting.read(written_by_hand(tmp_path, setting.key, raw)) == setting.default
