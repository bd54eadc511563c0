"""Screenshots for a person to look at: the main pages at phone and desktop widths, light and dark.

Saved to Tests/browser/screenshots/ (ignored by git). The checks here are only that the page lays out
without sideways scrolling of the whole page and that the picture is written.
"""
import pytest
from selenium.webdriver.common.by import By

from conftest import SCREENSHOTS, set_view, wait_for

VIEWS = {"phone": (390, 844, True), "desktop": (1280, 900, False)}


def pages(site):
    return {
        "index": site.url("index.html"),
        "chapter": site.url(site.first_chapter),
        "entity": site.url(site.person),
        "search": site.url("search.html?q=wang%20anshi"),
        "map": site.url("map.html"),
    }


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("view", list(VIEWS))
@pytest.mark.parametrize("page", ["index", "chapter", "entity", "search", "map"])
def test_screenshot(browser, site, page, view, scheme):
    width, height, mobile = VIEWS[view]
    set_view(browser, width, height, dark=(scheme == "dark"), mobile=mobile)
    browser.get(pages(site)[page])
    wait_for(lambda: browser.execute_script("return document.readyState") == "complete", message="page load")
    if page == "search":
        wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "#search-results > li"), message="results")
    overflow = browser.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"{page} scrolls sideways by {overflow}px at {view} width"
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{page}-{view}-{scheme}.png"
    assert browser.save_screenshot(str(path))
    assert path.stat().st_size > 1000


@pytest.mark.parametrize("view", list(VIEWS))
def test_screenshot_with_card_open(browser, site, view):
    width, height, mobile = VIEWS[view]
    for scheme in ("light", "dark"):
        set_view(browser, width, height, dark=(scheme == "dark"), mobile=mobile)
        browser.get(site.url(site.first_chapter))
        browser.execute_script(
            "const a = document.querySelector('.body a.ref-person[data-ref]') ||"
            " document.querySelector('.body a.ref[data-ref]');"
            "a.scrollIntoView({block: 'center'}); a.focus();"
            "a.dispatchEvent(new PointerEvent('pointerover', {bubbles: true, pointerType: 'mouse',"
            " clientY: a.getClientRects()[0].top + 2}));")
        wait_for(lambda: browser.execute_script(
            "const c = document.querySelector('[role=tooltip]'); return c && !c.hidden"), message="card")
        browser.execute_script("return new Promise(r => setTimeout(r, 300))")
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"card-{view}-{scheme}.png"
        assert browser.save_screenshot(str(path))
