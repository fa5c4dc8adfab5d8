"""The accessibility check of the journeys fails where it should: on a broken rule, on a page left
unchecked."""

from urllib.parse import quote

import pytest

from tests.browser.accessibility import CheckedPage

pytestmark = pytest.mark.browser


def html_page(body: str) -> str:
    head = '<!doctype html><html lang="vi"><head><title>Thử</title></head>'
    document = f"{head}<body><main>{body}</main></body></html>"
    return "data:text/html;charset=utf-8," + quote(document)


def test_a_page_breaking_a_rule_fails_the_journey(page):
    page.goto(html_page('<h1>Thử</h1><p style="color: #aaaaaa">Chữ nhạt trên nền trắng</p>'))
    with pytest.raises(AssertionError, match="color-contrast"):
        page.title()


def test_a_page_left_unchecked_fails_the_journey(context):
    raw = context.new_page()
    checked = CheckedPage(raw)
    raw.goto(html_page("<h1>Trang một</h1>"))  # straight on the page: never checked
    raw.goto(html_page("<h1>Trang hai</h1>"))
    with pytest.raises(AssertionError, match="not checked"):
        checked.finish()
    assert checked.checked == [raw.url]  # the last page was checked on the way
