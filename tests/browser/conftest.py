"""The browser journeys' pages: every page they show is checked for accessibility (accessibility.py)."""

import pytest

from tests.browser.accessibility import CheckedPage


@pytest.fixture
def checked_pages():
    """``checked_pages(page)``: the page, every document of which is checked with axe-core; at the end
    of the journey its last document too, and that none was left unchecked."""
    pages: list[CheckedPage] = []

    def check(page) -> CheckedPage:
        pages.append(CheckedPage(page))
        return pages[-1]

    yield check
    for page in pages:
        page.finish()


@pytest.fixture
def page(page, checked_pages):
    """pytest-playwright's page, checked for accessibility on every page it shows."""
    return checked_pages(page)
