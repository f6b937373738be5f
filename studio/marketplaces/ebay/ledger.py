"""What the eBay adapter must remember between runs, in one small JSON file per account.

eBay has no change feed and no photo hashes, so the adapter keeps: the feed it synthesizes
(events not yet committed by the engine, and what it already turned into events), the
photos it uploaded (hash -> eBay picture URL), the item numbers of its listings, and when it
last polled. Every process of a data dir (the window's jobs, the command line) may build a
client, so each change is a locked read-modify-write, replaced atomically on disk.

Nothing here is a secret: tokens stay in the credential store.
"""

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from studio.storage.instance_lock import InstanceLock, LockedByAnotherCopy
from studio.sync.port import Unreachable

LOCK_WAIT_S = 10.0
LOCK_POLL_S = 0.02


class Ledger:
    """`path` None keeps it in memory: a client for one command that needs no history."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._memory: dict[str, Any] = {}

    def read(self) -> dict[str, Any]:
        if self.path is None:
            return json.loads(json.dumps(self._memory))
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        return data if isinstance(data, dict) else {}

    @contextmanager
    def change(self) -> Iterator[dict[str, Any]]:
        """The state to change in place; saved when the block ends without an error."""
        if self.path is None:
            state = self.read()
            yield state
            self._memory = state
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock = InstanceLock(self.path.parent, f"{self.path.name}.lock", "busy")
        deadline = time.monotonic() + LOCK_WAIT_S
        while True:
            try:
                lock.acquire()
                break
            except LockedByAnotherCopy:
                if time.monotonic() > deadline:
                    raise Unreachable(
                        f"{self.path} stayed locked by another Seller Studio process"
                    ) from None
                time.sleep(LOCK_POLL_S)
        try:
            state = self.read()
            yield state
            partial = self.path.with_suffix(".partial")
            partial.write_text(json.dumps(state, sort_keys=True), encoding="utf-8")
            os.replace(partial, self.path)
        finally:
            lock.release()
