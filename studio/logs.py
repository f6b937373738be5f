"""The app's log: a rotating file in the data dir's logs/ folder, with secrets masked.

Tokens must never reach a log (DESIGN.md: secrets live in the keyring only), whoever logs
them: a library printing a URL with `?access_token=` or an error quoting a header. So every
line is masked as it is written, not at each call site.
"""

import logging
import re
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from studio import __version__

LOG_NAME = "studio.log"
MAX_BYTES = 1_000_000
KEEP_FILES = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MASK = "***"
# Libraries that log every request at INFO: one line per sync call would drown the rest.
QUIET_LOGGERS = ("httpx", "httpcore", "apscheduler.executors", "uvicorn.access")

_SECRET_NAMES = r"(?:access_token|refresh_token|id_token|token|password|client_secret|secret)"
# Each keeps its first two groups (the name and what joins it to the value) and masks the rest.
_SECRET_PATTERNS = (
    re.compile(r"(?i)\b(bearer|basic)(\s+)[A-Za-z0-9._~+/=-]+"),
    re.compile(rf"(?i)\b({_SECRET_NAMES})(['\"]?\s*[=:]\s*['\"]?)[^\s'\"&,;)}}]+"),
    re.compile(r"(?i)\b(authorization)(['\"]?\s*[=:]\s*['\"]?)[^'\"\n]+"),
    re.compile(r"([?&]code)(=)[^\s&#'\"]+"),  # an OAuth authorization code in a URL
)


def mask_secrets(text: str) -> str:
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(lambda m: f"{m.group(1)}{m.group(2)}{MASK}", text)
    return text


class MaskingFormatter(logging.Formatter):
    """Formats as usual, then masks: covers the message, its arguments and tracebacks."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_secrets(super().format(record))


def log_file(data_dir: Path) -> Path:
    return data_dir / "logs" / LOG_NAME


def _file_handler(path: Path) -> RotatingFileHandler:
    handler = RotatingFileHandler(
        path,
        maxBytes=MAX_BYTES,
        backupCount=KEEP_FILES,
        encoding="utf-8",
        errors="backslashreplace",  # a file name or argument need not be valid text
    )
    handler.setFormatter(MaskingFormatter(FORMAT))
    return handler


def setup_logging(data_dir: Path, level: int = logging.INFO) -> Path:
    """Sends the root logger to the data dir's log file (once per file); returns its path."""
    path = log_file(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    if not any(getattr(h, "baseFilename", None) == str(path) for h in root.handlers):
        root.addHandler(_file_handler(path))
    root.setLevel(level)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    _log_crashes()
    logging.getLogger("studio").info(
        "Seller Studio %s (Python %s) with data in %s",
        __version__,
        sys.version.split()[0],
        data_dir,
    )
    return path


def _log_crashes() -> None:
    """Writes an unhandled error to the log before the usual report (installed once)."""
    previous = sys.excepthook
    if getattr(previous, "logs_crashes", False):
        return

    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        logging.getLogger("studio").critical("Unhandled error", exc_info=(kind, error, trace))
        previous(kind, error, trace)

    hook.logs_crashes = True  # type: ignore[attr-defined]
    sys.excepthook = hook


def record_crash(data_dir: Path, error: BaseException) -> Path | None:
    """Appends `error` and its traceback, masked, to the data dir's log; returns the log's path.

    For a command line run, which installs no logging: the traceback belongs in the log, not
    on the seller's terminal. None when the log itself cannot be written.
    """
    path = log_file(data_dir)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = _file_handler(path)
    except OSError:
        return None
    record = logging.LogRecord(
        "studio.cli",
        logging.CRITICAL,
        __file__,
        0,
        "Unexpected error in a command (%s)",
        (__version__,),
        (type(error), error, error.__traceback__),
    )
    try:
        handler.emit(record)
    finally:
        handler.close()
    return path
