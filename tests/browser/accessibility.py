"""Every page a browser journey shows meets WCAG 2.1 A and AA, as axe-core finds it.

axe-core comes from the axe-playwright-python package (requirements.lock), which bundles
``axe.min.js``: nothing is fetched at run time. ``CheckedPage`` stands in for a Playwright page
(tests/browser/conftest.py gives every journey one): before each call on the page it waits for the
document shown to finish loading and, the first time it sees that document, runs axe-core on it and
fails the journey on any violation. A journey therefore checks every page it visits without saying
so; ``finish`` checks the last one and fails if a document loaded and was left unchecked (reached
only through a locator kept from an earlier page, for instance).
"""

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error, Page

# The rules of WCAG 2.0 and 2.1, levels A and AA.
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
# Set on a document's window once it has been checked; a new document starts without it.
CHECKED_FLAG = "__checkedForAccessibility"
# A document may be replaced while it is being checked (a page that reloads itself): check the next.
ATTEMPTS = 3

axe = Axe()


def violations_of(page: Page) -> list[dict]:
    """The WCAG 2.1 A and AA violations axe-core finds on the page as it is now."""
    return axe.run(page, options=OPTIONS).response["violations"]


def describe(url: str, violations: list[dict]) -> str:
    lines = [f"{url}: {len(violations)} accessibility rule(s) broken (WCAG 2.1 A/AA, axe-core)"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:10]:
            checks = node.get("any") or node.get("all") or node.get("none") or [{"message": ""}]
            lines.append(f"    {', '.join(map(str, node['target']))}: {checks[0]['message']}")
    return "\n".join(lines)


class CheckedPage:
    """A Playwright page whose every document is checked with axe-core before the journey acts on it."""

    def __init__(self, page: Page):
        self._page = page
        self.loaded: list[str] = []  # the documents that finished loading, by URL
        self.checked: list[str] = []
        page.on("load", lambda loaded: self.loaded.append(loaded.url))

    def __getattr__(self, name: str):
        attribute = getattr(self._page, name)
        if not callable(attribute):
            return attribute

        def checked_first(*args, **kwargs):
            self.check_current()
            return attribute(*args, **kwargs)

        return checked_first

    def check_current(self) -> None:
        """Check the document shown, once: fail on any violation."""
        page = self._page
        for attempt in range(ATTEMPTS):
            if page.is_closed() or page.url == "about:blank":
                return
            try:
                page.wait_for_load_state("load")
                if page.evaluate(f"() => window.{CHECKED_FLAG} === true"):
                    return
                found = violations_of(page)
                page.evaluate(f"() => {{ window.{CHECKED_FLAG} = true; }}")
            except Error:
                if attempt == ATTEMPTS - 1:
                    raise
                continue  # the document went away while it was checked: check the one that replaced it
            self.checked.append(page.url)
            assert not found, describe(page.url, found)
            return

    def finish(self) -> None:
        """Check the last document, and that no document was left unchecked."""
        self.check_current()
        assert len(self.checked) >= len(self.loaded), (
            f"pages loaded but not checked for accessibility: loaded {self.loaded}, checked {self.checked}"
        )
