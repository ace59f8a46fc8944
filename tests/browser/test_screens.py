"""What a reader sees on every screen, whatever the article and the fonts: checks that hold for any
site, width, orientation, text size and palette, not for one designed case.

- No box is drawn around nothing: every element that shows a background or a border holds text
  (or an image or a control), from the first line of the page to the end of the article.
- On wide screens (960 px and up) every note sits within 300 px of its words, whole or shortened,
  under both pinned font sets.
- The toolbar covers at most a quarter of the screen while one reads, at 24 px default text too.
- A tapped note's sheet shows at least three lines of its text, portrait and landscape.
- Enter on a note's words puts focus inside the note: its links are a Tab or two away.
"""

import pytest

from tests.conftest import ALL_SITES, BOXES, assert_margin_layout, screenshot

SITES = ALL_SITES
FONT_SETS = ["liberation", "dejavu"]
MAX_SHIFT = 300

# Every element drawn as a box (a background unlike its parent's, or a border) whose text and
# images are all hidden: a reader sees an empty frame.
EMPTY_BOXES = """() => {
  // Not inside closed <details>, hidden="until-found" or any other skipped content; not invisible.
  const shown = (el) => el.checkVisibility({contentVisibilityAuto: true, visibilityProperty: true, opacityProperty: true});
  const painted = (el) => { const s = getComputedStyle(el);
    const border = ['Top', 'Right', 'Bottom', 'Left'].some(side => parseFloat(s['border' + side + 'Width']) > 0
      && s['border' + side + 'Style'] !== 'none' && !/rgba\\(.*, 0\\)$/.test(s['border' + side + 'Color']));
    const parent = el.parentElement && getComputedStyle(el.parentElement).backgroundColor;
    const fill = s.backgroundColor !== 'rgba(0, 0, 0, 0)' && s.backgroundColor !== parent;
    return border || fill; };
  const content = (el) => el.innerText.trim() !== '' || el.querySelector('img, svg, input, textarea, select, button, hr')
    || /^(IMG|INPUT|TEXTAREA|SELECT|HR|BUTTON)$/.test(el.tagName)
    || getComputedStyle(el, '::before').content !== 'none' || getComputedStyle(el, '::after').content !== 'none';
  return [...document.body.querySelectorAll('*')].filter(el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && shown(el) && painted(el) && !content(el);
  }).map(el => `${el.tagName.toLowerCase()}#${el.id}.${[...el.classList].join('.')} ${Math.round(el.getBoundingClientRect().height)}px`);
}"""


@pytest.mark.parametrize("site", SITES)
@pytest.mark.parametrize("width, height, mobile", [(320, 640, True), (390, 844, True), (844, 390, True), (768, 1024, True),
                                                   (960, 700, False), (1280, 800, False), (1920, 1080, False)])
@pytest.mark.parametrize("scheme, forced", [("light", False), ("dark", False), ("light", True)])
def test_no_box_is_drawn_around_nothing(view_page, site, width, height, mobile, scheme, forced):
    page, _ = view_page(site=site, width=width, height=height, mobile=mobile, scheme=scheme, forced=forced)
    assert page.evaluate(EMPTY_BOXES) == []


@pytest.mark.parametrize("fonts", FONT_SETS)
@pytest.mark.parametrize("site", SITES)
@pytest.mark.parametrize("width, height", [(960, 700), (1024, 640), (1100, 800), (1280, 800), (1366, 768),
                                           (1440, 900), (1680, 1050), (1920, 1080)])
def test_every_note_sits_within_300_px_of_its_words(view_page, fonts, site, width, height):
    page, problems = view_page(site=site, width=width, height=height, fonts=fonts)
    boxes = page.evaluate(BOXES)
    assert_margin_layout(boxes, width)
    far = [(b["id"], round(b["top"] - b["anchorTop"])) for b in boxes if b["top"] - b["anchorTop"] > MAX_SHIFT]
    assert far == [], f"notes more than {MAX_SHIFT} px below their words"
    assert problems.errors == []
    screenshot(page, f"{site}-{fonts}-{width}")


@pytest.mark.parametrize("site", ["article", "second"])
@pytest.mark.parametrize("fonts", FONT_SETS)
@pytest.mark.parametrize("width, height", [(320, 640), (360, 740), (390, 844), (740, 360), (844, 390), (768, 1024),
                                           (1024, 768), (1440, 900)])
def test_the_toolbar_takes_at_most_a_quarter_of_the_screen_at_24_px_text(view_page, site, fonts, width, height):
    page, _ = view_page(site=site, width=width, height=height, font_size=24, mobile=width < 960, fonts=fonts)
    # What covers the text while the reader reads: the toolbar's part of the screen, scrolled into the article.
    page.evaluate("() => document.getElementById('p-3').scrollIntoView({block: 'center'})")
    covered = page.evaluate("() => { const r = document.getElementById('toolbar').getBoundingClientRect();"
                            " return Math.max(0, Math.min(r.bottom, innerHeight) - Math.max(r.top, 0)); }")
    assert covered <= height / 4, f"the toolbar covers {covered:.0f} px of {height}"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    screenshot(page, f"{site}-toolbar-24px-{fonts}-{width}x{height}")


SHEET_LINES = """() => { const sheet = document.querySelector('#notes > .note.is-sheet');
  const bar = sheet.querySelector('.sheet-bar').getBoundingClientRect(), box = sheet.getBoundingClientRect();
  const line = parseFloat(getComputedStyle(sheet.querySelector('.note-title')).lineHeight);
  const text = sheet.querySelector('.note-title').getBoundingClientRect();
  return {room: box.bottom - bar.bottom, line, whole: sheet.scrollHeight <= sheet.clientHeight + 1,
          titleTop: text.top - bar.bottom}; }"""


@pytest.mark.parametrize("site", ["article", "dense"])
@pytest.mark.parametrize("width, height", [(390, 844), (844, 390), (360, 740), (740, 360)])
@pytest.mark.parametrize("font", [16, 24])
def test_a_tapped_note_shows_at_least_three_lines_of_its_text(view_page, site, width, height, font):
    page, _ = view_page(site=site, width=width, height=height, mobile=True, font_size=font)
    anchors = page.evaluate("() => [...document.querySelectorAll('#article-body .anchor')].map(a => a.id)")
    for anchor_id in [anchors[0], anchors[len(anchors) // 2], anchors[-1]]:
        page.evaluate("(id) => { const a = document.getElementById(id); scrollTo(0, a.getBoundingClientRect().top + scrollY - innerHeight * 0.5); }", anchor_id)
        before = page.locator(f"#{anchor_id}").bounding_box()
        page.locator(f"#{anchor_id}").tap()
        page.wait_for_selector("#notes > .note.is-sheet")
        sheet = page.evaluate(SHEET_LINES)
        assert sheet["whole"] or sheet["room"] >= 3 * sheet["line"], f"{anchor_id}: {sheet}"
        after = page.locator(f"#{anchor_id}").bounding_box()
        assert after["y"] == before["y"], "the tapped words stay where they were"
        screenshot(page, f"{site}-sheet-{font}px-{width}x{height}-{anchor_id}")
        page.keyboard.press("Escape")
        page.wait_for_selector("#notes > .note.is-sheet", state="detached")


@pytest.mark.parametrize("width", [390, 1024, 1440])
def test_enter_on_a_notes_words_puts_focus_inside_the_note(view_page, width):
    page, _ = view_page(width=width, height=800, mobile=width < 960)
    anchor_id = page.evaluate("() => document.querySelectorAll('#article-body .anchor')[3].id")
    note_id = "note-" + anchor_id[4:]
    page.locator(f"#{anchor_id}").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("(id) => document.getElementById(id).classList.contains('is-open')", arg=note_id)
    for _ in range(2):
        if page.evaluate("(id) => document.activeElement.closest('a') !== null && document.getElementById(id).contains(document.activeElement)", note_id):
            break
        page.keyboard.press("Tab")
    assert page.evaluate("(id) => document.getElementById(id).contains(document.activeElement)", note_id), \
        "two Tabs after Enter, focus is not in the note"
    focused = page.evaluate("() => document.activeElement.getBoundingClientRect().toJSON()")
    assert 0 <= focused["top"] and focused["bottom"] <= 800, "the focused link is on screen"
    page.keyboard.press("Escape")
    assert page.evaluate("() => document.activeElement.id") == anchor_id, "Esc goes back to the words"
