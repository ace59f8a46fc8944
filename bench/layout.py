"""Margin notes as a reader sees them: per font set and screen width, how many notes show whole
and how far the farthest sits below its words. Chromium, the site opened from disk.

    .venv/bin/python bench/layout.py [SITE_DIR]     (default: _site)
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.browser import CHROMIUM  # noqa: E402
from tests.fonts import FONT_FOLDERS, font_config  # noqa: E402

WIDTHS = ((960, 700), (1024, 640), (1280, 800), (1440, 900), (1920, 1080))
MEASURE_JS = """() => [...document.querySelectorAll('#notes > .note')].map(n => {
  const a = document.getElementById('ref-' + n.id.slice(5));
  return {short: n.classList.contains('is-short'), shift: n.getBoundingClientRect().top - a.getBoundingClientRect().top};
})"""


def measure(site: Path) -> list[tuple[str, int, int, int, int, float]]:
    """Rows of (font set, width, height, notes whole, notes, largest note-to-words distance in px)."""
    import os

    from playwright.sync_api import sync_playwright

    rows = []
    folder = Path(tempfile.mkdtemp(prefix="fonts-"))
    with sync_playwright() as pw:
        for fonts in FONT_FOLDERS:
            env = {**os.environ, "FONTCONFIG_FILE": str(font_config(fonts, folder))}
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], env=env)
            for width, height in WIDTHS:
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto((site / "index.html").resolve().as_uri())
                page.wait_for_function("() => document.documentElement.classList.contains('notes-placed')")
                boxes = page.evaluate(MEASURE_JS)
                whole = sum(not b["short"] for b in boxes)
                rows.append((fonts, width, height, whole, len(boxes), max((b["shift"] for b in boxes), default=0)))
                page.close()
            browser.close()
    return rows


def report(rows: list[tuple[str, int, int, int, int, float]]) -> str:
    """A table: one line per font set and width."""
    lines = ["| fonts | screen | notes whole | largest distance |", "|---|---|---|---|"]
    lines += [f"| {f} | {w}x{h} | {whole} of {n} | {shift:.0f} px |" for f, w, h, whole, n, shift in rows]
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(measure(Path(sys.argv[1] if len(sys.argv) > 1 else "_site"))))
