"""What runs on its own after each pull: offer rules on new offers, then automatic messages
to new followers and buyers, and a bundle suggestion to each new buyer. Called by the sync
cycle between its pull and its push, so the answers go out in the same cycle."""

from dataclasses import dataclass
from datetime import datetime

from studio.seller_tools import bundle_messages
from studio.seller_tools.messages import send_automatic
from studio.seller_tools.offer_rules import apply_rules
from studio.storage.database import Database
from studio.storage.paths import photos_dir


@dataclass(frozen=True)
class AutomationReport:
    offers_answered: int
    messages_queued: int


def after_pull(database: Database, now: datetime) -> AutomationReport:
    with database.transaction() as session:
        answered = apply_rules(session, now)
        messages = send_automatic(session, now)
        messages += bundle_messages.send_automatic(session, photos_dir(database.directory), now)
    return AutomationReport(len(answered), len(messages))
