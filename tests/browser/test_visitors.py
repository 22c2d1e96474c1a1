"""A visitor finds practices in a real Chromium: on a laptop and on a phone, with the keyboard
alone, without JavaScript, and on the narrowest screen."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORD
from tests.browser.test_journeys import sign_in

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 740}
NARROW = {"width": 320, "height": 640}

FOCUSED_JS = """
async () => {
  // What the visitor sees once the page has settled: two frames after the key press.
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  const bar = document.querySelector('.library-facets__actions');
  const barRect = bar ? bar.getBoundingClientRect() : null;
  return {
    tag: el.tagName, type: el.type || '', name: el.name || '', value: el.value || '',
    label: el.closest('label') ? el.closest('label').textContent.trim() : '',
    outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth),
    top: rect.top, bottom: rect.bottom, viewport: window.innerHeight,
    barTop: barRect ? barRect.top : null, barBottom: barRect ? barRect.bottom : null,
  };
}
"""


def _tab_until(page, predicate, limit=80):
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED_JS)
        if predicate(focused):
            return focused
    raise AssertionError("never reached the element with the keyboard")


def _no_sideways_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def _assert_visible_and_clear_of_the_bar(focused):
    assert focused["outline"] != "none" and focused["outlineWidth"] >= 2, focused
    assert focused["top"] >= 0 and focused["bottom"] <= focused["viewport"], focused
    if focused["barTop"] is not None and focused["barTop"] < focused["viewport"]:
        # The sticky bar is on screen: the focused element is above it, not under it.
        assert focused["bottom"] <= focused["barTop"] + 1, focused


def _keyboard_journey(page):
    page.goto("/")
    _tab_until(page, lambda f: f["name"] == "q")
    page.keyboard.type("children")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/practices/\?q=children$"))
    expect(
        page.get_by_role("heading", level=2, name=re.compile("match “children”"))
    ).to_be_visible()
    expect(page.locator("#library-sort option:checked")).to_have_text("Best match")

    # The filters: each value is one tab stop, its focus ring visible and never under the
    # sticky "Apply filters" bar.
    first = _tab_until(page, lambda f: f["type"] == "checkbox")
    _assert_visible_and_clear_of_the_bar(first)
    values = [first]
    while True:
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED_JS)
        if focused["type"] != "checkbox":
            break
        _assert_visible_and_clear_of_the_bar(focused)
        values.append(focused)
    assert len(values) >= 5
    assert len({(v["name"], v["value"]) for v in values}) == len(values)  # no value twice

    # Tick the first value with the keyboard, then apply with the keyboard.
    page.keyboard.press("Shift+Tab")
    for _ in range(len(values) - 1):
        page.keyboard.press("Shift+Tab")
    focused = page.evaluate(FOCUSED_JS)
    assert (focused["name"], focused["value"]) == (first["name"], first["value"])
    page.keyboard.press("Space")
    _tab_until(
        page,
        lambda f: (
            f["tag"] == "BUTTON" and "Apply" in page.evaluate("document.activeElement.textContent")
        ),
    )
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"[?&]{first['name']}={first['value']}"))
    expect(page).to_have_url(re.compile(r"[?&]q=children"))
    expect(page.locator(".active-filters")).to_contain_text(first["label"].split(" (")[0])


def test_a_visitor_searches_and_filters_with_the_keyboard_on_a_laptop(browser, site_server):
    context = browser.new_context(base_url=site_server.url, viewport=LAPTOP, locale="en-GB")
    _keyboard_journey(context.new_page())
    context.close()


def test_a_visitor_searches_and_filters_with_the_keyboard_on_a_phone(browser, site_server):
    context = browser.new_context(base_url=site_server.url, viewport=PHONE, locale="en-GB")
    _keyboard_journey(context.new_page())
    context.close()


def test_the_header_is_one_line_at_1280_px_even_for_a_signed_in_editor(browser, site_server):
    context = browser.new_context(base_url=site_server.url, viewport=LAPTOP, locale="en-GB")
    page = context.new_page()
    for signed_in in (False, True):
        if signed_in:
            sign_in(page, "admin@urbanexchange.test", DEMO_PASSWORD)
        page.goto("/")
        expect(page.locator(".site-menu__button")).to_be_hidden()
        links = page.get_by_role("banner").locator("a:visible, button:visible, summary:visible")
        tops = {round(box["y"] + box["height"] / 2) for box in map(_box, links.all())}
        assert max(tops) - min(tops) <= 4, tops  # every item on one line
        assert page.locator(".site-header").bounding_box()["height"] < 80
        assert _no_sideways_scroll(page)
    expect(page.get_by_role("banner").get_by_role("link", name="Admin")).to_be_visible()
    context.close()


def _box(locator):
    return locator.bounding_box()


def test_on_a_phone_the_menu_button_opens_the_navigation(browser, site_server):
    context = browser.new_context(base_url=site_server.url, viewport=PHONE, locale="en-GB")
    page = context.new_page()
    page.goto("/")
    about = page.get_by_role("navigation", name="Main").get_by_role("link", name="About")
    expect(about).to_be_hidden()
    assert page.locator(".site-header").bounding_box()["height"] < 90  # not a third of the phone
    page.get_by_role("banner").get_by_text("Menu").click()
    expect(about).to_be_visible()
    expect(page.get_by_role("banner").get_by_role("link", name="Sign In")).to_be_visible()
    page.keyboard.press("Escape")
    expect(about).to_be_hidden()
    page.get_by_role("banner").get_by_text("Menu").click()
    about.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("About Urban Exchange")
    context.close()


def test_the_menu_button_works_without_javascript(browser, site_server):
    context = browser.new_context(
        base_url=site_server.url, viewport=PHONE, locale="en-GB", java_script_enabled=False
    )
    page = context.new_page()
    page.goto("/")
    library = page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Practice library"
    )
    expect(library).to_be_hidden()
    page.get_by_role("banner").get_by_text("Menu").click()
    library.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Practice library")
    # And on a laptop, without JavaScript, the navigation shows without the button.
    page.set_viewport_size(LAPTOP)
    page.goto("/")
    expect(page.locator(".site-menu__button")).to_be_hidden()
    expect(library).to_be_visible()
    context.close()


def test_the_map_fits_a_320_px_screen_and_labels_a_city_on_focus(browser, site_server):
    context = browser.new_context(base_url=site_server.url, viewport=NARROW, locale="en-GB")
    page = context.new_page()
    page.goto("/practices/map/")
    expect(page.locator(".library-map__svg")).to_be_visible()
    assert _no_sideways_scroll(page)
    svg_box = page.locator(".library-map__svg").bounding_box()
    assert svg_box["x"] >= 0 and svg_box["x"] + svg_box["width"] <= NARROW["width"]

    city = page.locator(".library-map__city").first
    city.focus()
    label = page.locator(".library-map__top .library-map__label")
    expect(label).to_be_visible()
    expect(label).to_have_text(re.compile(r"^\S.* \(\d+\)$"))
    page.locator("#main").focus()
    expect(label).to_have_count(0)
    page.locator(".library-map__city circle").last.hover()
    expect(label).to_be_visible()  # and on hover
    for path in ["/", "/practices/", "/privacy/"]:
        page.goto(path)
        assert _no_sideways_scroll(page), path
    context.close()


def test_the_footer_pages_are_reachable_from_every_page(page):
    page.goto("/practices/")
    footer = page.get_by_role("contentinfo")
    for title in ["Legal notice", "Privacy notice", "Accessibility statement", "Contact"]:
        footer.get_by_role("link", name=title, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        footer = page.get_by_role("contentinfo")
    expect(page.get_by_role("main")).to_contain_text("the practice's page")


def test_a_visitor_subscribes_to_the_list_they_filtered(page):
    page.goto("/practices/?theme=child-poverty")
    subscribe = page.get_by_role("link", name="Subscribe to new practices in this list")
    expect(subscribe).to_be_visible()
    expect(subscribe).to_have_attribute("href", re.compile(r"feed/rss/\?theme=child-poverty$"))
    expect(page.locator(".library-subscribe")).to_contain_text("feed reader")
