"""The log file: where it is, that it rotates, and that no secret reaches it."""

import logging
from collections.abc import Iterator
from logging.handlers import RotatingFileHandler
from pathlib import Path

import pytest

from studio.logs import log_file, mask_secrets, setup_logging


@pytest.fixture
def logged(data_dir: Path) -> Iterator[Path]:
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    yield setup_logging(data_dir)
    for handler in root.handlers[len(before) :]:
        handler.close()
    root.handlers[:] = before
    root.setLevel(level)


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        ("GET https://m.example/api/feed?access_token=tok_123&cursor=9", "tok_123"),
        ("headers: {'Authorization': 'Bearer eyJ0eXAi.abc-DEF'}", "eyJ0eXAi.abc-DEF"),
        ("Authorization: Bearer eyJ0eXAi.abc-DEF", "eyJ0eXAi.abc-DEF"),
        ("saved {'token': 'sk_live_42', 'base_url': 'http://x'}", "sk_live_42"),
        ("refresh_token=rt-987 expired", "rt-987"),
        ("redirect to http://127.0.0.1:5000/cb?code=AUTHCODE1&state=s", "AUTHCODE1"),
        ("login password=hunter2", "hunter2"),
    ],
)
def test_secrets_are_masked(line: str, secret: str) -> None:
    masked = mask_secrets(line)
    assert secret not in masked
    assert "***" in masked


def test_ordinary_lines_are_left_alone() -> None:
    line = "sync: 3 sent, status code: 409, cursor=120, token_type: bearer"
    assert mask_secrets(line) == line


def test_the_log_lives_in_the_data_dir_and_never_holds_a_token(logged: Path, data_dir) -> None:
    assert logged == log_file(data_dir) == data_dir / "logs" / "studio.log"
    log = logging.getLogger("studio.sync")
    log.info("connected with token=%s", "tok_secret_1")
    try:
        raise RuntimeError("401 for Authorization: Bearer tok_secret_2")
    except RuntimeError:
        log.exception("sync failed")
    text = logged.read_text(encoding="utf-8")
    assert "Seller Studio" in text and "sync failed" in text
    assert "tok_secret_1" not in text and "tok_secret_2" not in text


def test_the_log_rotates_and_is_set_up_once_per_file(logged: Path, data_dir) -> None:
    setup_logging(data_dir)
    handlers = [h for h in logging.getLogger().handlers if isinstance(h, RotatingFileHandler)]
    assert [h.baseFilename for h in handlers].count(str(logged)) == 1
    assert handlers[-1].maxBytes > 0 and handlers[-1].backupCount > 0
