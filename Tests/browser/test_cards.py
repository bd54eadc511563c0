"""Hover cards on entity references: keyboard, pointer, touch, Escape, inside the viewport."""
import time

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import console_errors, set_view, wait_for

CARD = "[role=tooltip]"


def visible_card(browser):
    return browser.execute_script(
        "const c = document.querySelector(arguments[0]);"
        "if (!c || c.hidden) return null;"
        "const r = c.getBoundingClientRect(); const s = getComputedStyle(c);"
        "return (r.width > 0 && r.height > 0 && s.display !== 'none' && s.visibility !== 'hidden' && parseFloat(s.opacity) > 0.95) ? c : null;",
        CARD)


def card_entry(browser, link):
    return browser.execute_script("return window.BOOK_CARDS[arguments[0].dataset.ref]", link)


def inside_viewport(browser, element):
    return browser.execute_script(
        "const r = arguments[0].getBoundingClientRect();"
        "const vw = document.documentElement.clientWidth, vh = window.innerHeight;"
        "return r.left >= 0 && r.top >= 0 && r.right <= vw && r.bottom <= vh;", element)


def tab_to_first_ref(browser, limit=250):
    for _ in range(limit):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        active = browser.switch_to.active_element
        if browser.execute_script("return arguments[0].matches('a.ref[data-ref]')", active):
            return active
    raise AssertionError(f"no entity reference reached in {limit} Tab presses")


def test_tab_to_a_reference_shows_its_card_escape_hides_it(browser, site):
    browser.get(site.url(site.first_chapter))
    link = tab_to_first_ref(browser)
    card = wait_for(lambda: visible_card(browser), message="the card on keyboard focus")
    entry = card_entry(browser, link)
    assert entry and entry["n"]
    assert entry["n"] in card.text
    if entry.get("h"):
        han = card.find_element(By.CSS_SELECTOR, "span[lang]")
        assert han.text == entry["h"]
        assert han.get_attribute("lang") == entry["l"]
    if entry.get("s"):
        assert entry["s"] in card.text
    card_id = card.get_attribute("id")
    assert card_id
    assert card_id in (link.get_attribute("aria-describedby") or "").split()
    assert inside_viewport(browser, card)
    ActionChains(browser).send_keys(Keys.ESCAPE).perform()
    wait_for(lambda: visible_card(browser) is None, message="Escape to hide the card")
    assert not link.get_attribute("aria-describedby")
    assert browser.switch_to.active_element == link      # Escape leaves the focus where it was
    # Tab on: the card moves away from the link that lost focus.
    ActionChains(browser).send_keys(Keys.TAB).perform()
    time.sleep(0.5)
    assert not link.get_attribute("aria-describedby")
    assert console_errors(browser) == []


def test_hover_shows_the_card_and_leaving_hides_it(browser, site):
    browser.get(site.url(site.person))
    link = browser.find_element(By.CSS_SELECTOR, ".body a.ref[data-ref]")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    ActionChains(browser).move_to_element(link).perform()
    card = wait_for(lambda: visible_card(browser), message="the card on hover")
    assert card_entry(browser, link)["n"] in card.text
    # The pointer can move onto the card without it closing.
    ActionChains(browser).move_to_element(card).perform()
    time.sleep(0.6)
    assert visible_card(browser) is not None
    # And away from both: it closes.
    ActionChains(browser).move_to_element(browser.find_element(By.CSS_SELECTOR, "h1")).perform()
    wait_for(lambda: visible_card(browser) is None, message="the card to close after the pointer left")
    assert console_errors(browser) == []


def test_cards_stay_inside_a_phone_viewport(browser, site):
    set_view(browser, 390, 844, mobile=True)
    browser.get(site.url(site.first_chapter))
    links = browser.find_elements(By.CSS_SELECTOR, ".body a.ref[data-ref]")
    assert links
    # The reference furthest to the right, where a card is most likely to overflow.
    rightmost = max(links[:60], key=lambda a: browser.execute_script(
        "return arguments[0].getBoundingClientRect().right", a))
    browser.execute_script("arguments[0].scrollIntoView({block: 'end'})", rightmost)
    browser.execute_script("arguments[0].focus()", rightmost)
    ActionChains(browser).move_to_element(rightmost).perform()
    card = wait_for(lambda: visible_card(browser), message="the card on a phone")
    assert inside_viewport(browser, card)


def test_touch_first_tap_shows_card_second_tap_follows(browser, site):
    set_view(browser, 390, 844, mobile=True)
    browser.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 1})
    browser.get(site.url(site.person))
    link = browser.find_element(By.CSS_SELECTOR, ".body a.ref[data-ref]")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    target = link.get_attribute("href")
    start = browser.current_url

    def tap():
        r = browser.execute_script(
            "const r = arguments[0].getClientRects()[0]; return {x: r.left + r.width / 2, y: r.top + r.height / 2}",
            link)
        point = [{"x": r["x"], "y": r["y"]}]
        browser.execute_cdp_cmd("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": point})
        browser.execute_cdp_cmd("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})

    tap()
    card = wait_for(lambda: visible_card(browser), message="the card after the first tap")
    assert card_entry(browser, link)["n"] in card.text
    time.sleep(0.4)
    assert browser.current_url == start
    assert inside_viewport(browser, card)
    tap()
    wait_for(lambda: browser.current_url == target, message="the second tap to follow the link")


def test_references_work_as_links_without_cards(browser, site):
    """The reference is an ordinary link: its href leads to the entity page that the card describes."""
    browser.get(site.url(site.first_chapter))
    link = browser.find_element(By.CSS_SELECTOR, ".body a.ref[data-ref]")
    entry = card_entry(browser, link)
    href = link.get_attribute("href")
    assert href.endswith(entry["u"])
    browser.get(href)
    assert entry["n"] in browser.find_element(By.TAG_NAME, "h1").text
