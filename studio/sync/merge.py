"""Three-way merge of one listing's fields against the state both sides last agreed on."""

from dataclasses import dataclass, field
from typing import Any

# The seller's price stands while the listing is active: a remote change never beats it.
LOCAL_WINS = frozenset({"price_cents", "floor_price_cents"})


@dataclass
class Merge:
    push: dict[str, Any] = field(default_factory=dict)  # local changes still to send
    take: dict[str, Any] = field(default_factory=dict)  # remote changes to apply locally
    conflicts: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # field: (mine, theirs)


def merge(base: dict[str, Any], local: dict[str, Any], remote: dict[str, Any]) -> Merge:
    """`local` holds the fields changed locally (pending); `remote` the whole remote state."""
    result = Merge()
    for name, theirs in remote.items():
        agreed = base.get(name)
        if name not in local:
            if theirs != agreed:
                result.take[name] = theirs
            continue
        mine = local[name]
        if mine == theirs:
            continue  # both sides already say the same
        if theirs == agreed or name in LOCAL_WINS:
            result.push[name] = mine
        else:
            result.conflicts[name] = (mine, theirs)
    for name, mine in local.items():
        if name not in remote:
            result.push[name] = mine
    return result
