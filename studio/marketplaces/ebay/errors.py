"""eBay's error answers as the port's errors, with eBay's own words and the field at fault.

REST answers carry {"errors": [{errorId, message, longMessage, parameters: [{name, value}]}]};
Trading answers carry <Errors> with ErrorCode, LongMessage and ErrorParameters. What the
engine must do decides the type: a system error is retried (Unreachable), a refusal waits
for the seller (Refused), a lapsed sign-in asks for a new one (AuthFailed).
"""

import re
from dataclasses import dataclass
from typing import Any

from studio.sync.port import MarketplaceError, NotFound, Refused, Unreachable

# Transient on eBay's side: "a system error has occurred", "concurrent access ... try again".
RETRYABLE_IDS = frozenset({25001, 25025, 150000})
USER_ERROR = 25002  # "a user error has occurred": often an item specific the category needs
OFFER_NOT_AVAILABLE = 25713
NO_INTERESTED_BUYERS = 150020
# Trading codes for a token that no longer works, and for the daily call limit.
TRADING_AUTH_CODES = frozenset({"931", "932", "16110", "17470", "21916013", "21917053"})
TRADING_LIMIT_CODES = frozenset({"518", "21919144"})
_MISSING_SPECIFIC = re.compile(r"item specific (?P<name>.+?) is missing", re.IGNORECASE)


@dataclass(frozen=True)
class EbayError:
    error_id: int
    message: str
    parameters: dict[str, str]

    @property
    def missing_aspect(self) -> str | None:
        """The item specific a 25002 names as missing, e.g. Brand."""
        if self.error_id != USER_ERROR:
            return None
        found = _MISSING_SPECIFIC.search(self.message)
        if found:
            return found.group("name")
        # Parameter 2 names the specific in eBay's answers; the others repeat the message.
        return self.parameters.get("2") or None


def rest_errors(body: Any) -> list[EbayError]:
    rows = body.get("errors") if isinstance(body, dict) else None
    errors = []
    for row in rows if isinstance(rows, list) else []:
        if not isinstance(row, dict):
            continue
        params = {
            str(p.get("name")): str(p.get("value", ""))
            for p in row.get("parameters") or []
            if isinstance(p, dict)
        }
        message = str(row.get("longMessage") or row.get("message") or "")
        errors.append(EbayError(int(row.get("errorId") or 0), message, params))
    return errors


def refusal(status: int, errors: list[EbayError], fallback: str) -> MarketplaceError:
    """The port error for a 4xx (or a system error id at any status)."""
    if any(error.error_id in RETRYABLE_IDS for error in errors):
        first = next(e for e in errors if e.error_id in RETRYABLE_IDS)
        return Unreachable(f"eBay had a system error ({first.error_id}): {first.message}")
    if status == 404:
        return NotFound(errors[0].message if errors else fallback)
    if not errors:
        return Refused(status, str(status), f"eBay refused the request: {fallback}")
    missing = [e.missing_aspect for e in errors if e.missing_aspect]
    if missing:
        names = " and ".join(dict.fromkeys(missing))
        detail = next(e.message for e in errors if e.missing_aspect)
        return Refused(
            status,
            str(USER_ERROR),
            f"eBay needs {names} for this category; add it to the item and publish again "
            f"(eBay: {detail})",
        )
    first = errors[0]
    field = first.parameters.get("fieldName") or first.parameters.get("field")
    where = f" [{field}]" if field else ""
    return Refused(status, str(first.error_id), f"eBay: {first.message}{where}")


@dataclass(frozen=True)
class TradingError:
    code: str
    message: str
    severity: str
    parameters: dict[str, str]
