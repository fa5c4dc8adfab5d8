"""The navigation fits a 1280 px screen and a phone, signs out from both, and every link in it is
reached with the keyboard.

An outside tester found the officials' bar 1,340 px wide at 1280 px, the user menu with the sign-out
cut off. The longest name of the demo (Nguyễn Thị Bích Ngọc, a commune head) and English labels are
the widest case.
"""

import pytest
from django.urls import reverse

from portal.models import User
from tests.browser.test_commune_officer_journey import live_server_artifact
from tests.browser.test_outreach_journey import log_in

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
LONG_NAME = "Nguyễn Thị Bích Ngọc"

# What has the keyboard's focus: enough to tell the links and buttons apart, and whether it left the bar.
FOCUSED = """() => {
  const element = document.activeElement;
  return {
    href: element.getAttribute("href"),
    text: element.textContent.trim(),
    isMenu: element.getAttribute("data-bs-toggle") === "dropdown",
    isOpen: element.getAttribute("aria-expanded") === "true",
    inBar: element.closest("nav.navbar") !== null,
  };
}"""


def page_width(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth")


def bar_is_one_line(page) -> bool:
    """The user menu sits on the brand's line (the bar did not wrap)."""
    return page.evaluate(
        """() => Math.abs(document.querySelector("#user-menu").getBoundingClientRect().top
            - document.querySelector(".navbar-brand").getBoundingClientRect().top) < 16"""
    )


def sign_out(page, live_server, label: str) -> None:
    """Open the user menu (unless it is open), see the sign-out control and use it."""
    if page.locator("#user-menu").get_attribute("aria-expanded") != "true":
        page.locator("#user-menu").click()
    sign_out_button = page.get_by_role("button", name=label, exact=True)
    assert sign_out_button.is_visible()
    sign_out_button.click()
    page.wait_for_url(live_server.url + reverse("login"))
    assert page.locator("#user-menu").count() == 0


def test_the_officials_bar_fits_at_1280_px_in_both_languages(transactional_db, live_server, cast, page):
    User.objects.filter(pk=cast.commune_officer.pk).update(full_name=LONG_NAME)
    page.set_viewport_size(DESKTOP)

    log_in(page, live_server, "xa")
    page.goto(live_server.url + reverse("dossier_list"))
    assert page_width(page) <= DESKTOP["width"]
    assert bar_is_one_line(page)  # in Vietnamese, with a long name: every link of a commune officer
    assert page.locator("#user-menu").is_visible()
    page.locator("#user-menu").click()
    page.screenshot(path=str(live_server_artifact("navigation-1280-vi.png")))
    page.get_by_role("button", name="English", exact=True).click()
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    assert page_width(page) <= DESKTOP["width"]
    sign_out(page, live_server, "Log out")

    page.context.clear_cookies()
    log_in(page, live_server, "hoidong")  # the council member sees the most links
    assert page_width(page) <= DESKTOP["width"]
    sign_out(page, live_server, "Đăng xuất")


def test_an_applicant_signs_out_at_1280_px(transactional_db, live_server, cast, page):
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, "nguoinop")
    page.goto(live_server.url + reverse("my_dossiers"))
    assert page_width(page) <= DESKTOP["width"]
    sign_out(page, live_server, "Đăng xuất")


def test_every_link_of_the_bar_is_reached_with_the_keyboard(transactional_db, live_server, cast, page):
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, "hoidong")
    page.goto(live_server.url + reverse("dossier_list"))
    links = set(
        page.locator("nav.navbar a[href]").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    )

    reached, buttons = set(), set()
    page.locator("body").focus()
    for _ in range(80):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if not focused["inBar"] and (reached or buttons):
            break  # past the bar, into the page
        if focused["href"]:
            reached.add(focused["href"])
        else:
            buttons.add(focused["text"])
        if focused["isMenu"] and not focused["isOpen"]:
            page.keyboard.press("Enter")  # open the menu: its items come next
    assert links <= reached, f"not reached by keyboard: {sorted(links - reached)}"
    assert {"Thêm", "Đăng xuất", "English"} <= buttons


def test_on_a_phone_the_menu_opens_and_signs_out(transactional_db, live_server, cast, page):
    User.objects.filter(pk=cast.commune_officer.pk).update(full_name=LONG_NAME)
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "xa")
    page.goto(live_server.url + reverse("reports:dashboard"))  # its tables scroll sideways on a phone
    page.goto(live_server.url + reverse("dossier_list"))
    assert page_width(page) <= PHONE["width"]
    dossiers_link = page.locator("nav.navbar").get_by_role("link", name="Hồ sơ", exact=True)
    assert not dossiers_link.is_visible()  # behind the menu button
    page.get_by_role("button", name="Mở trình đơn").click()
    page.locator("#main-nav.show").wait_for()  # opened, not still unfolding
    assert dossiers_link.is_visible()
    page.locator("#user-menu").click()
    page.screenshot(path=str(live_server_artifact("navigation-phone.png")), full_page=True)
    assert page_width(page) <= PHONE["width"]
    sign_out(page, live_server, "Đăng xuất")
