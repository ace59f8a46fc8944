"""Search and weight per script: the shipped English article beside the Japanese, Chinese, Arabic and
Hebrew fixtures. For each: the search index as shipped (raw and gzip -9), the first view's weight, and
the first and median query times in Chromium (bench/browser.py: the first query loads the search bundle).

    .venv/bin/python bench/languages.py
"""

from __future__ import annotations

import gzip
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.browser import chromium, query_samples, served  # noqa: E402
from bench.weights import page_weights  # noqa: E402

SITES = {
    "en": ((), ("japan", "alliance", "defence spending", "nuclear umbrella", "treaty", "Abe", "security")),
    **{lang: (("--content", str(ROOT / "tests/fixtures" / lang / "content"),
               "--annotations", str(ROOT / "tests/fixtures" / lang / "annotations.yaml")), queries)
       for lang, queries in {
           "ja": ("防衛費", "国内総生産", "同盟", "高市", "財源", "自衛隊", "トランプ"),
           "zh": ("装机容量", "宜昌", "防洪", "特高压", "移民", "洪水", "补偿"),
           "ar": ("الكتاب", "كتابه", "المخطوطات", "مكتبة", "الإسكندرية", "القارئ", "الرفوف"),
           "he": ("ים המלח", "סופו", "בולענים", "הירדן", "צהל", "תעלת", "מפלס"),
       }.items()},
}


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        for lang, (args, queries) in SITES.items():
            out = Path(tmp) / lang
            subprocess.run([sys.executable, str(ROOT / "build.py"), "--out", str(out), *args], check=True,
                           capture_output=True)
            index = next((out / "assets").glob("search-index.*.js")).read_bytes()
            weights = page_weights(out)
            with served(out) as url:
                samples = query_samples(browser, url, queries)
            times = [s.ms for s in samples if s.ms is not None]
            rows.append((lang, len(index), len(gzip.compress(index, 9)), weights["first_view_gz"],
                         times[0], statistics.median(times[1:]), sum(s.items > 0 for s in samples), len(samples)))
    print("| script | index raw B | index gz B | first view gz B | first query ms | median query ms | queries answered |")
    print("|---|---|---|---|---|---|---|")
    for lang, raw, gz, first_view, first, median, found, total in rows:
        print(f"| {lang} | {raw:,} | {gz:,} | {first_view:,} | {first:.0f} | {median:.1f} | {found}/{total} |")


if __name__ == "__main__":
    main()
