"""Search: the header form, the search page, folding of names, ranking, marks, the address kept in sync."""
from urllib.parse import quote

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import console_errors, wait_for


def results(browser):
    return browser.find_elements(By.CSS_SELECTOR, "#search-results > li")


def first_result(browser):
    items = wait_for(lambda: results(browser), message="search results")
    return items[0]


def assert_wang_anshi_first(browser):
    first = first_result(browser)
    link = first.find_element(By.CSS_SELECTOR, "a")
    assert link.text.strip() == "Wang Anshi"
    assert link.get_attribute("href").endswith("people/wang-anshi.html")
    assert first.find_elements(By.TAG_NAME, "mark"), first.get_attribute("outerHTML")
    status = browser.find_element(By.ID, "search-status").text
    assert "result" in status


def test_header_search_submits_to_search_page(browser, site):
    browser.get(site.url(site.first_chapter))
    box = browser.find_element(By.ID, "site-search-q")
    label = browser.find_element(By.CSS_SELECTOR, "label[for=site-search-q]")
    assert label.get_attribute("textContent").strip()
    box.send_keys("wang anshi")
    box.send_keys(Keys.ENTER)
    wait_for(lambda: "search.html?q=wang+anshi" in browser.current_url, message="search.html?q=wang+anshi")
    assert browser.find_element(By.ID, "search-q").get_attribute("value") == "wang anshi"
    assert_wang_anshi_first(browser)
    assert console_errors(browser) == []


@pytest.mark.parametrize("query", ["wanganshi", "Wang An-shi", "王安石", "jiefu", "WÁNG ĀNSHÍ"])
def test_search_page_finds_wang_anshi_first(browser, site, query):
    browser.get(site.url("search.html?q=" + quote(query)))
    assert browser.find_element(By.ID, "search-q").get_attribute("value") == query
    assert_wang_anshi_first(browser)
    status = browser.find_element(By.ID, "search-status").text
    assert query in status
    assert console_errors(browser) == []


def test_typing_searches_and_keeps_the_query_in_the_address(browser, site):
    browser.get(site.url("search.html"))
    assert results(browser) == []
    box = browser.find_element(By.ID, "search-q")
    box.send_keys("wanganshi")
    assert_wang_anshi_first(browser)
    wait_for(lambda: browser.current_url.endswith("search.html?q=wanganshi"), message="?q= in the address")
    # Submitting does not reload the page: a marker set on the window survives.
    browser.execute_script("window.__stillHere = true")
    box.clear()
    box.send_keys("Mizhi")
    box.send_keys(Keys.ENTER)
    wait_for(lambda: "q=Mizhi" in browser.current_url, message="?q=Mizhi in the address")
    assert browser.execute_script("return window.__stillHere === true")
    first = first_result(browser)
    assert "Mizhi" in first.find_element(By.TAG_NAME, "a").text
    assert console_errors(browser) == []


def test_ranking_entities_before_sections_before_chapters(browser, site):
    browser.get(site.url("search.html?q=" + quote("Mizhi Fort")))
    first_result(browser)
    kinds = browser.execute_script(
        "return [...document.querySelectorAll('#search-results > li')].map(li => li.className)")
    assert kinds, "no results for Mizhi Fort"
    # An entity called Mizhi Fort comes first: an exact name match outranks sections and chapters.
    assert "search-result-place" in kinds[0] or "search-result-event" in kinds[0], kinds
    assert len(kinds) <= 50


def test_snippet_is_cut_around_the_match(browser, site):
    browser.get(site.url("search.html?q=hunger"))
    items = wait_for(lambda: results(browser), message="results for hunger")
    snippets = [li.find_elements(By.CSS_SELECTOR, "p.snippet") for li in items]
    marked = [s[0] for s in snippets if s and s[0].find_elements(By.TAG_NAME, "mark")]
    assert marked, "no snippet marks the word"
    for snippet in marked:
        text = snippet.text
        assert len(text) <= 200, text
        assert "hunger" in snippet.find_element(By.TAG_NAME, "mark").text.lower()


def test_no_results(browser, site):
    browser.get(site.url("search.html?q=zzzzqqqq"))
    wait_for(lambda: browser.find_element(By.ID, "search-status").text, message="a status line")
    assert browser.find_element(By.ID, "search-status").text.startswith("No results")
    assert results(browser) == []


def test_results_are_escaped_text(browser, site):
    browser.get(site.url("search.html?q=" + quote("<img src=x onerror=alert(1)>")))
    wait_for(lambda: browser.find_element(By.ID, "search-status").text, message="a status line")
    assert browser.find_elements(By.CSS_SELECTOR, "#search-results img, #search-status img") == []
    assert console_errors(browser) == []
