"""The projects' journeys (issue 12), in Vietnamese, every page checked for accessibility.

1. On a phone, the commune officer puts a poor household on the commune's 2025 list, writes its
   goat-raising plan (the inputs forgotten: the plan's page says so), revises it, and approves it as the
   head of the commune team; a month later a visit from the project's page marks a milestone late, and
   the plan's page shows it late. Neither the plan's form nor the visit's overflows 375 px.
2. The standing agency assigns the pool's mentor to the startup; the mentor signs in, sees that
   project only, and logs a session from a phone; the session is on the project's page.
3. A council member goes from the dashboard's projects section to the success models and their
   replications, and confirms a proposed model.

Labels the Vietnamese catalogue may not hold yet are compared with what ``gettext`` gives in Vietnamese,
never typed in; fields are found by name and links by their address.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from projects.models import (
    HouseholdListing,
    MentorAssignment,
    MentorSession,
    Milestone,
    PovertyPlan,
    SuccessModel,
)
from projects.services import showcase
from tests.browser.test_commune_officer_journey import live_server_artifact
from tests.browser.test_outreach_journey import log_in
from tests.projects.fixtures import *  # noqa: F403 (the projects and media_root fixtures)
from tests.projects.test_model_pages import confirmed, later, operating, propose

pytestmark = pytest.mark.browser

D = datetime.date
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
TODAY = "2026-11-18"
HOUSEHOLD_CODE = "SD-2025-031"


def vi(message: str) -> str:
    with translation.override("vi"):
        return gettext(message)


def fits_the_width(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def milestone_on_plan_page(page, milestone: Milestone):
    return page.locator(f"#plan-milestones ~ ol [data-milestone='{milestone.pk}']")


# --- 1. A household's plan, written and followed on a phone -------------------------------------------------


def test_a_commune_officer_plans_a_households_escape_from_a_phone(
    transactional_db, live_server, projects, set_today, page
):
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "xa")

    # --- The household on the commune's 2025 list -----------------------------------------------------------
    page.goto(live_server.url + reverse("household_new"))
    # 2026's list has no standard yet: the officer looks up 2025's, and the form takes its year.
    page.locator("#standard input[name=year]").fill("2025")
    page.locator("#standard button[type=submit]").click()
    page.wait_for_url(live_server.url + reverse("household_new") + "?year=2025")
    assert "07/2021" in page.locator("#standard").inner_text()
    form = page.locator("form[method=post]:has(input[name=household_code])")
    assert form.locator("input[name=year]").input_value() == "2025"
    page.locator("input[name=head_name]").fill("Trương Thị Khó")
    page.locator("input[name=head_national_id]").fill("083185007788")
    page.locator("input[name=head_phone]").fill("0912345678")
    page.locator("input[name=address]").fill("Ấp Sơn Lợi, xã Sơn Định")
    # The officer keeps one commune: it is chosen already.
    assert page.locator("select[name=unit]").input_value() == str(projects.cast.units.commune.pk)
    page.locator("input[name=household_code]").fill(HOUSEHOLD_CODE)
    page.locator("input[name=members]").fill("5")
    page.locator("input[name=income_per_person]").fill("900000")
    page.locator("input[name=deprivations]").fill("4")
    page.locator("select[name=category]").select_option("poor")
    form.locator("button[type=submit]").click()
    page.wait_for_url(live_server.url + reverse("household_list") + "?year=2025")
    listing = HouseholdListing.objects.get(household_code=HOUSEHOLD_CODE)
    assert (listing.year, listing.category, listing.unit, listing.head.full_name) == (
        2025,
        "poor",
        projects.cast.units.commune,
        "Trương Thị Khó",
    )

    # --- Its goat-raising plan, from the list; the inputs forgotten -----------------------------------------
    new_plan = f"{reverse('poverty_plan_new')}?household={listing.pk}"
    page.locator(f"tr[data-listing='{listing.pk}'] a[href='{new_plan}']").click()
    page.wait_for_url(live_server.url + new_plan)
    assert HOUSEHOLD_CODE in page.locator("#plan-household").inner_text()
    page.locator("input[name=name]").fill("Nuôi dê sinh sản – hộ Trương Thị Khó")
    page.locator("select[name=livelihood]").select_option("goats")
    page.locator("textarea[name=description]").fill(
        "Nuôi 2 dê cái Bách Thảo, bán dê con; trồng cỏ quanh nhà."
    )
    page.locator("input[name=budget_total]").fill("10000000")
    page.locator("input[name=expected_monthly_income]").fill("1500000")
    page.locator("input[name=starts_on]").fill("2026-12-01")
    page.locator("input[name=ends_on]").fill("2027-12-31")
    page.locator("select[name='fundings-0-source']").select_option("programme")
    page.locator("input[name='fundings-0-amount']").fill("7000000")
    page.locator("select[name='fundings-1-source']").select_option("own")
    page.locator("input[name='fundings-1-amount']").fill("3000000")
    for number, (title, due_on, supporter) in enumerate(
        [
            ("Làm chuồng, trồng cỏ", "2027-01-15", "Tổ hỗ trợ xã"),
            ("Nhận dê giống", "2027-02-01", "Hội Nông dân xã"),
            ("Lứa dê con đầu tiên", "2027-10-31", "Cán bộ thú y xã"),
        ]
    ):
        page.locator(f"input[name='milestones-{number}-title']").fill(title)
        page.locator(f"input[name='milestones-{number}-due_on']").fill(due_on)
        page.locator(f"input[name='milestones-{number}-supporter']").fill(supporter)
    assert fits_the_width(page)
    page.screenshot(path=str(live_server_artifact("projects-1-phone-plan-form.png")), full_page=True)
    page.locator("#plan-form > button[type=submit]").click()
    page.wait_for_url(re.compile(r"/poverty-plans/\d+/$"))
    plan = PovertyPlan.objects.get(household=listing)
    assert (plan.status, plan.budget_total, sorted(plan.fundings.values_list("amount", flat=True))) == (
        PovertyPlan.Status.DRAFT,
        10_000_000,
        [3_000_000, 7_000_000],
    )
    assert plan.milestones.count() == 3
    # The page says what is still missing: the inputs, only.
    assert page.locator("#plan-gaps li").all_inner_texts() == [vi("the inputs to be given")]

    # --- Revised: the input added; complete -----------------------------------------------------------------
    page.locator(f"#approval a[href='{reverse('poverty_plan_edit', args=[plan.pk])}']").click()
    page.wait_for_url(live_server.url + reverse("poverty_plan_edit", args=[plan.pk]))
    assert page.locator("input[name='milestones-2-title']").input_value() == "Lứa dê con đầu tiên"
    page.locator("input[name='inputs-0-description']").fill("2 dê cái giống Bách Thảo")
    page.locator("input[name='inputs-0-value']").fill("7000000")
    page.locator("input[name='inputs-0-given_by']").fill("Hội Nông dân xã")
    assert fits_the_width(page)
    page.locator("#plan-form > button[type=submit]").click()
    page.wait_for_url(live_server.url + reverse("poverty_plan_detail", args=[plan.pk]))
    assert page.locator("#plan-gaps").count() == 0
    assert plan.inputs.get().description == "2 dê cái giống Bách Thảo"

    # --- Approved by the head of the commune team (the officer herself) -------------------------------------
    assert page.locator("#id_approve_on").input_value() == TODAY
    page.locator(
        f"form[action='{reverse('poverty_plan_approve', args=[plan.pk])}'] button[type=submit]"
    ).click()
    page.wait_for_url(live_server.url + reverse("poverty_plan_detail", args=[plan.pk]))
    plan.refresh_from_db()
    assert (plan.status, plan.approved_on, plan.approved_by) == (
        PovertyPlan.Status.APPROVED,
        D(2026, 11, 18),
        projects.cast.commune_officer,
    )
    assert page.locator("#plan-status").get_attribute("class").split()[-1] == "text-bg-success"
    assert page.locator("#plan-behind").count() == 0
    first = plan.milestones.get(title="Làm chuồng, trồng cỏ")
    assert milestone_on_plan_page(page, first).get_attribute("data-late") == "no"

    # --- A month later, a visit from the project's page marks the first milestone late ----------------------
    set_today(D(2026, 12, 20))
    log_in(page, live_server, "xa")  # the session has long expired
    page.goto(live_server.url + reverse("poverty_plan_detail", args=[plan.pk]))
    page.locator("#project-link").click()
    page.wait_for_url(live_server.url + reverse("project_detail", args=[plan.project_id]))
    assert page.locator(f"#project-plan-panel li[data-milestone='{first.pk}']").is_visible()
    page.locator(f"a[href='{reverse('project_visit_new', args=[plan.project_id])}']").click()
    page.wait_for_url(live_server.url + reverse("project_visit_new", args=[plan.project_id]))
    assert page.locator("input[name=visited_on]").input_value() == "2026-12-20"
    page.locator("textarea[name=note]").fill("Chủ hộ ốm, chưa làm chuồng; cỏ mới trồng một nửa.")
    page.locator("input[name=next_step]").fill("Tổ hỗ trợ giúp dựng chuồng trong tháng 1")
    page.locator(f"input[name='m{first.pk}_state'][value=late]").check()
    page.locator(f"input[name='m{first.pk}_reason']").fill("Chủ hộ ốm")
    assert fits_the_width(page)
    page.screenshot(path=str(live_server_artifact("projects-2-phone-visit-form.png")), full_page=True)
    page.locator("#visit-form > button[type=submit]").click()
    page.wait_for_url(live_server.url + reverse("project_detail", args=[plan.project_id]))
    first.refresh_from_db()
    assert first.state == Milestone.State.LATE
    assert page.locator("#visit-list li").count() == 1
    assert "Chủ hộ ốm" in page.locator("#visit-list li").inner_text()
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(live_server_artifact("projects-3-poverty-project.png")), full_page=True)

    # --- The plan's page shows it late ----------------------------------------------------------------------
    page.set_viewport_size(PHONE)
    page.locator(f"#project-plan-panel a[href='{reverse('poverty_plan_detail', args=[plan.pk])}']").click()
    page.wait_for_url(live_server.url + reverse("poverty_plan_detail", args=[plan.pk]))
    assert milestone_on_plan_page(page, first).get_attribute("data-late") == "yes"
    assert [
        milestone_on_plan_page(page, milestone).get_attribute("data-late")
        for milestone in plan.milestones.exclude(pk=first.pk)
    ] == ["no", "no"]
    assert page.locator("#plan-behind").is_visible()
    page.screenshot(path=str(live_server_artifact("projects-4-phone-plan-late.png")), full_page=True)


# --- 2. A mentor assigned, and their session ----------------------------------------------------------------


def test_a_mentor_is_assigned_and_logs_a_session(transactional_db, live_server, projects, page):
    startup, mentor = projects.startup, projects.mentor
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, "thuongtruc")

    # --- The standing agency assigns the pool's mentor ------------------------------------------------------
    page.goto(live_server.url + reverse("project_detail", args=[startup.pk]))
    page.locator(f"a[href='{reverse('project_mentor_assign', args=[startup.pk])}']").click()
    page.wait_for_url(live_server.url + reverse("project_mentor_assign", args=[startup.pk]))
    page.locator("select[name=mentor]").select_option(str(mentor.pk))
    assert page.locator("input[name=on]").input_value() == TODAY
    page.locator("form[method=post]:has(select[name=mentor]) button[type=submit]").click()
    page.wait_for_url(live_server.url + reverse("project_detail", args=[startup.pk]))
    assignment = MentorAssignment.objects.get()
    assert (assignment.mentor, assignment.project, assignment.assigned_on, assignment.ended_on) == (
        mentor,
        startup,
        D(2026, 11, 18),
        None,
    )
    assert page.locator("[data-panel=mentors]").get_by_text(mentor.full_name).is_visible()

    # --- The mentor signs in and sees that project only -----------------------------------------------------
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "covan")
    page.goto(live_server.url + reverse("project_list"))
    shown = page.locator("main a[href^='/projects/']").evaluate_all("(links) => links.map((a) => a.pathname)")
    projects_shown = {path for path in shown if re.fullmatch(r"/projects/\d+/", path)}
    assert projects_shown == {reverse("project_detail", args=[startup.pk])}
    for hidden in (projects.other_startup, projects.plan.project):
        assert page.goto(live_server.url + reverse("project_detail", args=[hidden.pk])).status == 404
    # Their home lists the projects they mentor: that one.
    page.goto(live_server.url + reverse("home"))
    panel = page.locator("[data-panel=mentor-projects]")
    assert panel.locator("[data-project]").evaluate_all(
        "(rows) => rows.map((row) => row.dataset.project)"
    ) == [str(startup.pk)]
    panel.get_by_role("link", name=startup.name).click()
    page.wait_for_url(live_server.url + reverse("project_detail", args=[startup.pk]))
    assert page.locator(f"a[href='{reverse('project_mentor_assign', args=[startup.pk])}']").count() == 0

    # --- The session, logged from the phone -----------------------------------------------------------------
    page.locator(f"[data-panel=mentors] a[href='{reverse('mentor_session_new', args=[startup.pk])}']").click()
    page.wait_for_url(live_server.url + reverse("mentor_session_new", args=[startup.pk]))
    assert page.locator("select[name=mentor]").count() == 0  # the mentor logs their own session
    assert page.locator("input[name=held_on]").input_value() == TODAY
    page.locator("input[name=hours]").fill("1,5")
    page.locator("input[name=topic]").fill("Định giá trà mãng cầu sấy lạnh cho siêu thị")
    page.locator("textarea[name=next_step]").fill("Làm bảng giá sỉ và lẻ")
    assert fits_the_width(page)
    page.locator("#session-form button[type=submit]").click()
    page.wait_for_url(live_server.url + reverse("project_detail", args=[startup.pk]))
    session = MentorSession.objects.get()
    assert (session.mentor, session.project, str(session.hours), session.held_on) == (
        mentor,
        startup,
        "1.5",
        D(2026, 11, 18),
    )
    row = page.locator("[data-panel=mentors] tbody tr")
    assert row.count() == 1
    cells = [cell.strip() for cell in row.locator("td").all_inner_texts()]
    assert cells[0] == "18/11/2026"
    assert cells[1] == mentor.full_name
    assert cells[3:] == ["Định giá trà mãng cầu sấy lạnh cho siêu thị", "Làm bảng giá sỉ và lẻ"]
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(live_server_artifact("projects-5-startup-page.png")), full_page=True)


# --- 3. From the dashboard to the success models ------------------------------------------------------------


def test_a_council_member_reaches_the_models_from_the_dashboard_and_confirms_one(
    transactional_db, live_server, projects, page
):
    cast = projects.cast
    tea = confirmed(cast)  # "Trà mãng cầu sấy lạnh", confirmed
    copy = showcase.record_replication(
        project=later(cast), model=tea, by=cast.commune_officer, on=D(2025, 9, 1)
    )
    rice_paper = propose(
        cast, operating(cast, "Bánh tráng Sơn Định", "083190002002"), title="Bánh tráng phơi sương"
    )
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, "hoidong")

    # --- The dashboard's projects section links to the models -----------------------------------------------
    page.locator(f"nav a[href='{reverse('reports:dashboard')}']").first.click()
    page.wait_for_url(re.compile(r"/dashboard/"))
    section = page.locator("[data-section=projects]")
    assert vi("Startup projects and poverty escape") in section.locator("h2").inner_text()
    top = section.evaluate("(el) => el.getBoundingClientRect().top + window.scrollY")
    page.screenshot(
        path=str(live_server_artifact("projects-6-dashboard-section.png")),
        full_page=True,
        clip={"x": 0, "y": top - 8, "width": DESKTOP["width"], "height": 600},
    )
    section.locator(f"a[data-more=projects][href='{reverse('model_list')}']").click()
    page.wait_for_url(live_server.url + reverse("model_list"))

    # --- The models, and the replications by commune --------------------------------------------------------
    rows = page.locator("main table.table-hover tbody tr")
    assert rows.count() == 2
    by_title = {
        row.locator("td").first.inner_text().strip(): row.locator("td").last.inner_text().strip()
        for row in rows.all()
    }
    assert by_title == {"Trà mãng cầu sấy lạnh": "1", "Bánh tráng phơi sương": "0"}
    replications = page.locator("#replications-table")
    commune_row = replications.locator(f"tbody tr[data-unit='{cast.units.commune.pk}']")
    assert commune_row.locator("td").all_inner_texts()[-1].strip() == "1"
    page.locator(f"a[href='{reverse('model_detail', args=[tea.pk])}']").click()
    page.wait_for_url(live_server.url + reverse("model_detail", args=[tea.pk]))
    assert page.locator(f"a[href='{reverse('project_detail', args=[copy.pk])}']").is_visible()
    assert page.locator("form[action$='/decide/']").count() == 0  # decided already

    # --- The council member confirms the proposed model -----------------------------------------------------
    page.goto(live_server.url + reverse("model_list"))
    page.get_by_role("link", name="Bánh tráng phơi sương").click()
    page.wait_for_url(live_server.url + reverse("model_detail", args=[rice_paper.pk]))
    decide = page.locator(f"form[action='{reverse('model_decide', args=[rice_paper.pk])}']")
    decide.locator("input[name=decision][value=confirm]").check()
    decide.locator("textarea[name=note]").fill("Nhân rộng ở các xã ven sông")
    decide.locator("button[type=submit]").click()
    page.wait_for_url(live_server.url + reverse("model_detail", args=[rice_paper.pk]))
    rice_paper.refresh_from_db()
    assert (rice_paper.status, rice_paper.decided_by, rice_paper.decided_on, rice_paper.decision_note) == (
        SuccessModel.Status.CONFIRMED,
        cast.council_member,
        D(2026, 11, 18),
        "Nhân rộng ở các xã ven sông",
    )
    assert page.locator("form[action$='/decide/']").count() == 0
    page.screenshot(path=str(live_server_artifact("projects-7-model-confirmed.png")), full_page=True)
