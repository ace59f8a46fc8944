"""Quality gates: accessibility (axe-core), valid HTML (Nu checker), links and assets, page weight."""

import html.parser
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, screenshot

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
BUDGET = 20 * 1024  # bytes, gzipped


def axe_violations(page) -> list[str]:
    """Run axe-core (WCAG 2.x A/AA and best practices) on the page; return one line per violation."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""() => axe.run(document, {resultTypes: ['violations']})""")
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in result["violations"]]


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width, height", [(1440, 900), (390, 844)])
def test_axe_finds_no_violations_on_the_page(open_page, scheme, width, height):
    page, _ = open_page(width=width, height=height, scheme=scheme, bypass_csp=True, mobile=width < 600)
    assert axe_violations(page) == []


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_with_a_note_open_on_a_phone(open_page, scheme):
    page, _ = open_page(width=390, height=844, scheme=scheme, bypass_csp=True, mobile=True)
    page.locator("a.anchor").nth(2).tap()
    assert page.locator("aside.note.is-open").count() == 1
    assert axe_violations(page) == []


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1440, 390])
def test_axe_with_search_results_showing(open_page, scheme, width):
    page, _ = open_page(width=width, height=900, scheme=scheme, bypass_csp=True)
    page.locator("#search-input").click()
    page.keyboard.type("alliance")
    page.wait_for_selector("#search-results li[role=option]")
    page.keyboard.press("ArrowDown")
    screenshot(page, f"axe-search-{width}-{scheme}")
    assert axe_violations(page) == []


@pytest.mark.browser
def test_axe_on_the_404_page(open_page):
    page, _ = open_page("404.html", bypass_csp=True)
    assert axe_violations(page) == []


def test_every_page_is_valid_html(site):
    java = shutil.which("java")
    assert java, "Java is needed for the Nu HTML Checker; .ci/run installs default-jre-headless"
    assert VNU.is_file(), "vnu-jar is missing; run npm ci"
    pages = sorted(str(p) for p in site.rglob("*.html"))
    done = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "text", *pages],
                          capture_output=True, text=True, timeout=180)
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
        for key in ("data-interact", "data-search", "data-quote"):
            self.assets += (attrs.get(key) or "").split()


def _ids(page) -> set[str]:
    links = _Links()
    links.feed(page.read_text(encoding="utf-8"))
    return links.ids


def test_every_link_and_asset_resolves(site):
    for page in sorted(site.rglob("*.html")):
        links = _Links()
        links.feed(page.read_text(encoding="utf-8"))
        assert links.links, f"{page.name} has no links to check"
        for link in links.links + links.assets:
            path, _, fragment = link.partition("#")
            # The 404 page, served at any depth, links to the site's root (no base URL given here).
            target = site / "index.html" if path == "/" else (page.parent / path).resolve() if path else page
            assert target.is_file() and site.resolve() in target.resolve().parents, f"{page.name}: {link} is not in the site"
            if fragment and target.suffix == ".html":
                assert fragment in _ids(target), f"{page.name}: {link} points at a missing id"


def test_first_view_and_first_search_fit_the_budget(site, capsys):
    from bench.weights import page_weights
    weights = page_weights(site)
    with capsys.disabled():
        for part in ("first_view", "first_search"):
            rows = ", ".join(f"{Path(name).name} {gz}" for name, _, gz in weights[part])
            print(f"\n{part}: {weights[part + '_gz']} bytes gzipped (budget {BUDGET}): {rows}")
    assert weights["first_view_gz"] <= BUDGET
    assert weights["first_search_gz"] <= BUDGET
