"""Quality gates without a browser: valid HTML (Nu checker) and links and assets that resolve, on
both sites, and the fixed part of the first view (the page's chrome, CSS and JS) within its budget."""

import html.parser
import shutil
import subprocess

import pytest

from bench.weights import FIXED_PART_BUDGET, bundle_urls, page_weights
from tests.conftest import ALL_SITES, ROOT, run_build

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SITES = ALL_SITES


def test_every_page_of_every_site_is_valid_html(sites):
    java = shutil.which("java")
    assert java, "Java is needed for the Nu HTML Checker; .ci/run installs default-jre-headless"
    assert VNU.is_file(), "vnu-jar is missing; run npm ci"
    # One checker run for all three sites: starting Java costs more than checking a page.
    pages = sorted(str(p) for name in SITES for p in sites[name].rglob("*.html"))
    assert len(pages) >= 3 * len(SITES), pages
    done = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "text", *pages],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


class _Links(html.parser.HTMLParser):
    """Collect ids, links (in-page, to another page's id, to a file) and bundle files of one page."""

    def __init__(self):
        super().__init__()
        self.ids, self.links, self.assets = set(), [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for key in ("href", "src"):
            value = attrs.get(key)
            if value is not None and not value.startswith(("http://", "https://", "mailto:", "data:")):
                self.links.append(value)
        self.assets += (attrs.get("data-interact") or "").split()


def _ids(page) -> set[str]:
    links = _Links()
    links.feed(page.read_text(encoding="utf-8"))
    return links.ids


@pytest.mark.parametrize("name", SITES)
def test_every_link_and_asset_resolves(sites, name):
    site = sites[name]
    for page in sorted(site.rglob("*.html")):
        links = _Links()
        links.feed(page.read_text(encoding="utf-8"))
        assert links.links, f"{page.name} has no links to check"
        # The later bundles are named inside the interaction layer (root-relative, like the script tag's list).
        later = [url for urls in bundle_urls(site, str(page.relative_to(site))).values() for url in urls] if links.assets else []
        assert not links.assets or len(later) > len(links.assets), f"{page.name}: the later bundles are not named"
        for link in links.links + links.assets + later:
            path, _, fragment = link.partition("#")
            # The 404 page, served at any depth, links to the site's root (no base URL given here).
            target = site / "index.html" if path == "/" else (page.parent / path).resolve() if path else page
            assert target.is_file() and site.resolve() in target.resolve().parents, f"{page.name}: {link} is not in the site"
            if fragment and target.suffix == ".html":
                assert fragment in _ids(target), f"{page.name}: {link} points at a missing id"


def test_the_fixed_part_of_the_first_view_keeps_its_budget_whatever_the_article(tmp_path):
    """The golden fixture is three paragraphs and four notes: its first view is the page's chrome."""
    golden = ROOT / "tests" / "golden" / "input"
    done = run_build("--content", str(golden / "content"), "--annotations", str(golden / "annotations.yaml"),
                     "--out", str(tmp_path / "site"))
    assert done.returncode == 0, done.stderr
    weight = page_weights(tmp_path / "site")["first_view_gz"]
    print(f"\nfixed part of the first view: {weight} B gzipped (budget {FIXED_PART_BUDGET})")
    assert weight <= FIXED_PART_BUDGET
