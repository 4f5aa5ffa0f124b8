"""Live reload for `catalog serve --watch`: rebuild when content changes, reload open pages.

A thread polls the watched folders (content, theme overrides, templates) once a second; when
their fingerprint changes and then holds still, it runs the same build as `catalog build` and,
if the build succeeded, bumps a generation number. Pages served in watch mode carry a small
same-origin script that asks ``/__reload`` for that number and reloads when it changes. Nothing
of this reaches a published site.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

RELOAD_PATH = "/__reload"
SCRIPT_PATH = "/__reload.js"
SCRIPT = b"""(function () {
  var seen = null;
  function poll() {
    fetch("/__reload", { cache: "no-store" }).then(function (r) { return r.json(); })
      .then(function (state) {
        if (seen !== null && state.generation !== seen) { window.location.reload(); }
        seen = state.generation;
      }).catch(function () {}).then(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
"""
TAG = b'<script src="/__reload.js" defer></script>'


def inject_script(html: bytes) -> bytes:
    """Add the reload script before ``</body>`` (or at the end)."""
    marker = html.rfind(b"</body>")
    return html[:marker] + TAG + html[marker:] if marker >= 0 else html + TAG


def fingerprint(roots: Iterable[Path]) -> tuple[tuple[str, int, int], ...]:
    entries = []
    for root in roots:
        for folder, _, files in os.walk(root):
            for name in files:
                path = os.path.join(folder, name)
                try:
                    stat = os.stat(path)
                except OSError:
                    continue  # removed while we looked
                entries.append((path, stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(entries))


class Reloader:
    """Watches ``roots``; calls ``rebuild`` (True on success) after a change settles."""

    def __init__(
        self, roots: list[Path], rebuild: Callable[[], bool], *, interval: float = 1.0
    ) -> None:
        self.roots = roots
        self.rebuild = rebuild
        self.interval = interval
        self.generation = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="catalog-watch", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def check_once(
        self, last: tuple[tuple[str, int, int], ...]
    ) -> tuple[tuple[str, int, int], ...]:
        """One poll: rebuild if the files changed since ``last``; returns the new fingerprint."""
        current = fingerprint(self.roots)
        if current == last:
            return last
        time.sleep(self.interval / 2)  # let an editor finish saving several files
        settled = fingerprint(self.roots)
        if settled != current:
            return current  # still changing: look again next round
        print("检测到内容变化，正在重新生成……", file=sys.stderr)
        if self.rebuild():
            self.generation += 1
        return settled

    def _run(self) -> None:
        last = fingerprint(self.roots)
        while not self._stop.wait(self.interval):
            last = self.check_once(last)
