"""How far the reading of the current document has got, page by page, for whoever watches (the CLI's
progress bar of a long document): `set_watcher` names a function (pages read, pages in all); the readers
report each page read, text layer or OCR, through `Pages`. No watcher: nothing is reported."""

from __future__ import annotations

import threading
from collections.abc import Callable

Watcher = Callable[[int, int], None]
_watcher: Watcher | None = None


def set_watcher(watcher: Watcher | None) -> None:
    global _watcher
    _watcher = watcher


class Pages:
    """The pages of one document as they are read (OCR reads several at once, from threads)."""

    def __init__(self, total: int):
        self.total, self.done = total, 0
        self._lock = threading.Lock()

    def read(self, n: int = 1) -> None:
        if _watcher is None or n <= 0:
            return
        with self._lock:
            self.done += n
            done = self.done
        _watcher(done, self.total)
