"""Progress of the long demo steps: a text bar with counts, redrawn in place on a terminal.

``demo_load`` makes one ``Progress`` for its output and hands it to every step as ``progress``; a step
calls ``progress.step("Kesehatan", total)`` and then ``advance(n)`` as it goes. On a terminal the bar is
redrawn with ``\\r`` at most a few times a second; elsewhere (a log file, a test's StringIO) only the
finished line is written, so logs stay short.
"""

import time

BAR_WIDTH = 24
REDRAW_SECONDS = 0.2


class Progress:
    def __init__(self, stream, *, live: bool | None = None):
        # A management command's OutputWrapper (nested when one command calls another, as the benchmark
        # calls demo_load) ends every write with a newline: the bar writes to the stream underneath.
        while hasattr(stream, "_out"):
            stream = stream._out
        self.stream = stream
        self.live = stream.isatty() if live is None else live

    def write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()

    def step(self, label: str, total: int, unit: str = "posyandu") -> "Bar":
        return Bar(self, label, total, unit)


class Bar:
    def __init__(self, progress: Progress, label: str, total: int, unit: str):
        self.progress = progress
        self.label = label
        self.total = max(total, 0)
        self.unit = unit
        self.done = 0
        self.started = time.monotonic()
        self._drawn = 0.0
        self._draw(force=True)

    def advance(self, count: int = 1) -> None:
        self.done = min(self.total, self.done + count)
        self._draw()

    def finish(self) -> None:
        self.done = self.total
        line = self._line()
        self.progress.write(f"\r{line}\n" if self.progress.live else f"{line}\n")

    def _line(self) -> str:
        share = self.done / self.total if self.total else 1.0
        filled = round(share * BAR_WIDTH)
        seconds = time.monotonic() - self.started
        return (
            f"  {self.label:<22} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] "
            f"{self.done}/{self.total} {self.unit} ({seconds:.0f} detik)"
        )

    def _draw(self, *, force: bool = False) -> None:
        if not self.progress.live:
            return
        now = time.monotonic()
        if not force and now - self._drawn < REDRAW_SECONDS:
            return
        self._drawn = now
        self.progress.write(f"\r{self._line()}")


class Silent:
    """For callers that build demo data without showing progress (tests calling a step directly)."""

    def step(self, label: str, total: int, unit: str = "posyandu") -> "SilentBar":
        return SilentBar()


class SilentBar:
    def advance(self, count: int = 1) -> None:
        pass

    def finish(self) -> None:
        pass
