"""Limits kept in memory (one server process owns them): a token bucket per key (a seller,
or a client address), and a lockout that grows with each failed sign-in."""

import threading
import time
from collections.abc import Hashable

# Keys an attacker can invent (addresses, seller names) must not grow memory without end.
_MAX_KEYS = 100_000


class RateLimiter:
    def __init__(self, per_minute: int, burst: int) -> None:
        self._rate = per_minute / 60.0
        self._burst = float(max(burst, 1))
        self._buckets: dict[Hashable, tuple[float, float]] = {}
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self._rate > 0

    def _refilled(self, key: Hashable, now: float) -> float:
        tokens, last = self._buckets.get(key, (self._burst, now))
        return min(self._burst, tokens + (now - last) * self._rate)

    def acquire(self, key: Hashable) -> float | None:
        """Take one request from `key`'s bucket; return seconds to wait if it is empty."""
        if not self.enabled:
            return None
        now = time.monotonic()
        with self._lock:
            tokens = self._refilled(key, now)
            if len(self._buckets) >= _MAX_KEYS and key not in self._buckets:
                # A full bucket is the same as no entry: forget those first.
                self._buckets = {
                    k: v for k, v in self._buckets.items() if self._refilled(k, now) < self._burst
                }
            if tokens >= 1:
                self._buckets[key] = (tokens - 1, now)
                return None
            self._buckets[key] = (tokens, now)
            return (1 - tokens) / self._rate

    def wait(self, key: Hashable) -> float | None:
        """Seconds until `key` may go again, without taking anything; None if it may now."""
        if not self.enabled:
            return None
        now = time.monotonic()
        with self._lock:
            if key not in self._buckets:
                return None
            tokens = self._refilled(key, now)
        return None if tokens >= 1 else (1 - tokens) / self._rate


class FailureLockout:
    """After `threshold` failures in a row, `key` is locked out for `base_s`, doubling with
    each further failure up to `max_s`. A success (reset) or `forget_s` of quiet clears it."""

    def __init__(
        self, threshold: int, base_s: float = 30.0, max_s: float = 3600.0, forget_s: float = 3600.0
    ) -> None:
        self._threshold = threshold
        self._base_s = base_s
        self._max_s = max_s
        self._forget_s = forget_s
        # key -> (failures, locked until, last failure), monotonic seconds
        self._entries: dict[Hashable, tuple[int, float, float]] = {}
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self._threshold > 0

    def _current(self, key: Hashable, now: float) -> tuple[int, float, float]:
        entry = self._entries.get(key)
        if entry is None or now - entry[2] > max(self._forget_s, entry[1] - entry[2]):
            return (0, 0.0, now)
        return entry

    def retry_after(self, key: Hashable) -> float | None:
        """Seconds `key` is still locked out for, or None."""
        if not self.enabled:
            return None
        now = time.monotonic()
        with self._lock:
            _, until, _ = self._current(key, now)
        return until - now if until > now else None

    def failed(self, key: Hashable) -> float | None:
        """Count a failure; return the lockout it starts (seconds), if it starts one."""
        if not self.enabled:
            return None
        now = time.monotonic()
        with self._lock:
            failures, until, _ = self._current(key, now)
            failures += 1
            if failures >= self._threshold:
                lock_s = min(self._max_s, self._base_s * 2 ** min(failures - self._threshold, 30))
                until = now + lock_s
            if len(self._entries) >= _MAX_KEYS and key not in self._entries:
                self._entries = {
                    k: v for k, v in self._entries.items() if self._current(k, now)[0] > 0
                }
            self._entries[key] = (failures, until, now)
        return until - now if until > now else None

    def reset(self, key: Hashable) -> None:
        with self._lock:
            self._entries.pop(key, None)
