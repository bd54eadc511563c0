"""Reading the book as a person would: open it, follow links, from disk and from a server under a sub-path."""
from selenium.webdriver.common.by import By

from conftest import console_errors, wait_for


def test_home_to_first_chapter(browser, site):
    browser.get(site.url("index.html"))
    assert browser.find_element(By.TAG_NAME, "h1").text.strip()
    link = browser.find_element(By.CSS_SELECTOR, "ol.chapters a.chapter-link")
    expected = link.find_element(By.CSS_SELECTOR, ".chapter-title").text.strip()
    assert expected
    link.click()
    wait_for(lambda: browser.current_url.endswith(site.first_chapter), message="the first chapter to open")
    h1 = browser.find_element(By.CSS_SELECTOR, "article.chapter h1").text.strip()
    assert h1 == expected
    assert expected in browser.title
    assert console_errors(browser) == []


def test_chapter_has_position_and_navigation(browser, site):
    browser.get(site.url(site.chapters[1] if len(site.chapters) > 1 else site.first_chapter))
    bar = browser.find_element(By.CSS_SELECTOR, ".book-progress[role=progressbar]")
    assert bar.get_attribute("aria-label")
    now = int(bar.get_attribute("aria-valuenow"))
    low, high = int(bar.get_attribute("aria-valuemin")), int(bar.get_attribute("aria-valuemax"))
    assert low <= now <= high
    # The line is drawn: thin, as wide as the page, right under the header.
    box = browser.execute_script(
        "const b = document.querySelector('.book-progress').getBoundingClientRect();"
        "const h = document.querySelector('.site-header').getBoundingClientRect();"
        "const s = document.querySelector('.book-progress > span').getBoundingClientRect();"
        "return {h: b.height, w: b.width, top: b.top, header: h.bottom, fill: s.width,"
        " vw: document.documentElement.clientWidth};")
    assert 1 <= box["h"] <= 6
    assert abs(box["top"] - box["header"]) <= 2
    assert box["w"] >= box["vw"] - 1
    assert 0 < box["fill"] <= box["w"]
    assert browser.find_elements(By.CSS_SELECTOR, "nav.breadcrumbs ol li")
    assert browser.find_elements(By.CSS_SELECTOR, "nav.page-nav a")
    assert browser.find_elements(By.CSS_SELECTOR, "nav.page-contents a")


def test_served_from_a_sub_path(browser, site, http_site):
    browser.get(http_site + "index.html")
    # The stylesheet, the card data and the script all load relative to the page.
    paper = browser.execute_script("return getComputedStyle(document.documentElement).backgroundColor")
    assert paper not in ("rgba(0, 0, 0, 0)", "transparent")
    assert browser.execute_script("return typeof window.BOOK_CARDS === 'object' && window.BOOK_CARDS !== null")
    browser.find_element(By.CSS_SELECTOR, "ol.chapters a.chapter-link").click()
    wait_for(lambda: "/chapters/" in browser.current_url, message="a chapter to open over HTTP")
    assert browser.current_url.startswith(http_site)
    # A hover card from a page one folder down.
    ref = browser.find_element(By.CSS_SELECTOR, "a.ref[data-ref]")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", ref)
    from selenium.webdriver.common.action_chains import ActionChains
    ActionChains(browser).move_to_element(ref).perform()
    card = wait_for(lambda: browser.execute_script(
        "const c = document.querySelector('[role=tooltip]'); return c && !c.hidden && c;"),
        message="a hover card over HTTP")
    assert card.text.strip()
    # The header search from a chapter goes to the search page under the same sub-path.
    box = browser.find_element(By.ID, "site-search-q")
    box.send_keys("wanganshi\n")
    wait_for(lambda: "search.html?q=wanganshi" in browser.current_url, message="the search page over HTTP")
    assert browser.current_url.startswith(http_site)
    first = wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "#search-results > li > a"),
                     message="search results over HTTP")[0]
    assert first.get_attribute("href").startswith(http_site)
    errors = [e for e in console_errors(browser) if "favicon.ico" not in e.get("message", "")]
    assert errors == []
