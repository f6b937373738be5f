"""How long the UI thread is kept from running: a 10 ms QTimer on the Qt event loop, and the
longest extra delay between two of its ticks (`ui_max_stall_ms` of `bench photos` and
`bench sync`). Offscreen, so it runs on any machine."""

import time
from collections.abc import Callable

from PySide6.QtCore import QTimer

HEARTBEAT_S = 0.01


class StallMeter:
    """Start it before the work, stop it after; `on_tick(n)` runs on every n-th tick (to
    sample memory, say), inside the measured loop like any other UI work."""

    def __init__(self, on_tick: Callable[[int], None] | None = None) -> None:
        self.max_gap_s = 0.0
        self.ticks = 0
        self._on_tick = on_tick
        self._last = 0.0
        self._timer = QTimer(interval=round(HEARTBEAT_S * 1000))
        self._timer.timeout.connect(self._beat)

    def start(self) -> None:
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    @property
    def max_stall_ms(self) -> float:
        return round(self.max_gap_s * 1000, 1)

    def _beat(self) -> None:
        now = time.perf_counter()
        self.max_gap_s = max(self.max_gap_s, now - self._last - HEARTBEAT_S)
        self._last = now
        self.ticks += 1
        if self._on_tick is not None:
            self._on_tick(self.ticks)
