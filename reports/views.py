"""The reports pages: the list, asking for a report, watching it build, reading, writing lessons, files."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from portal.pages import attempt
from portal.paging import ListPaginator
from portal.scope import scope_for
from portal.text import fold
from reports.access import can_edit_report, can_request_report, get_report_for_user, may_request_reports
from reports.files import can_download, file_response
from reports.forms import LessonsForm, ReportSearchForm, RequestReportForm
from reports.models import ReviewReport
from reports.periods import PeriodKind
from reports.services import finalise_report, request_report, write_lessons

PAGE_SIZE = 30


@login_required
def report_list(request):
    if not scope_for(request.user).readable_unit_ids:
        raise PermissionDenied  # an applicant: no unit in scope, no reports
    reports = ReviewReport.objects.visible_to(request.user).select_related("unit")
    search = ReportSearchForm(request.GET or None)
    chosen = search.cleaned_data if search.is_valid() else {}  # a filter that does not parse: 400
    kind, query = chosen.get("kind", ""), chosen.get("q", "").strip()
    if kind:
        reports = reports.filter(period_kind=kind)
    if fold(query):
        reports = reports.filter(unit__search_name__contains=fold(query))
    page = ListPaginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    form = None
    if may_request_reports(request.user):
        form = RequestReportForm(user=request.user, initial={"kind": PeriodKind.QUARTERLY})
    context = {
        "page": page,
        "form": form,
        "search": search,
        "kinds": PeriodKind.choices,
        "kind": kind,
        "query": query,
    }
    status = 400 if search.is_bound and not search.is_valid() else 200
    return render(request, "reports/list.html", context, status=status)


@login_required
@require_POST
def report_request(request):
    if not may_request_reports(request.user):
        raise PermissionDenied
    form = RequestReportForm(request.POST, user=request.user)
    report = attempt(
        form, lambda data: request_report(unit=data["unit"], period=data["period"], by=request.user)
    )
    if report is None:
        return render(request, "reports/request.html", {"form": form}, status=400)
    return redirect("reports:detail", report.pk)


@login_required
@require_POST
def report_rebuild(request, pk: int):
    """A new version of the report from today's figures; the old version stays as it was."""
    report = get_report_for_user(request.user, pk)
    if not can_request_report(request.user, report.unit):
        raise PermissionDenied
    form = forms.Form(request.POST)
    rebuilt = attempt(
        form, lambda data: request_report(unit=report.unit, period=report.period, by=request.user)
    )
    if rebuilt is None:
        return _detail(request, report, refusals=form.non_field_errors(), status=400)
    return redirect("reports:detail", rebuilt.pk)


def _detail(
    request, report: ReviewReport, *, lessons_form: LessonsForm | None = None, refusals=(), status: int = 200
):
    versions = (
        ReviewReport.objects.visible_to(request.user)
        .of_period(report.unit, report.period)
        .order_by("-version")
        .only("pk", "version")
    )
    if lessons_form is None and can_edit_report(request.user, report):
        lessons_form = LessonsForm(instance=report)
    context = {
        "report": report,
        "versions": versions,
        "lessons_form": lessons_form,
        "can_rebuild": report.is_ready and can_request_report(request.user, report.unit),
        "data": report.data,
        "readable_unit_ids": scope_for(request.user).readable_unit_ids,
        "refusals": refusals,
    }
    return render(request, "reports/detail.html", context, status=status)


@login_required
def report_detail(request, pk: int):
    return _detail(request, get_report_for_user(request.user, pk))


@login_required
def report_progress(request, pk: int):
    """The progress bar, polled by the detail page while the report builds; reloads the page when done."""
    report = get_report_for_user(request.user, pk)
    response = render(request, "reports/_progress.html", {"report": report})
    if not report.is_pending:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def report_lessons(request, pk: int):
    report = get_report_for_user(request.user, pk, for_edit=True)
    form = LessonsForm(request.POST, instance=ReviewReport(pk=report.pk))
    if attempt(form, lambda data: write_lessons(report=report, **data)) is None:
        return _detail(request, report, lessons_form=form, status=400)
    messages.success(request, _("The lessons learned and recommendations are saved."))
    return redirect("reports:detail", report.pk)


@login_required
@require_POST
def report_finalise(request, pk: int):
    report = get_report_for_user(request.user, pk, for_edit=True)
    form = forms.Form(request.POST)
    if attempt(form, lambda data: finalise_report(report=report, by=request.user)) is None:
        return _detail(request, report, refusals=form.non_field_errors(), status=400)
    messages.success(request, _("The report is final."))
    return redirect("reports:detail", report.pk)


@login_required
def report_file(request, pk: int, file_type: str):
    """The report as DOCX or XLSX, in the reader's language."""
    report = get_report_for_user(request.user, pk)
    if not can_download(report, file_type):
        raise Http404
    return file_response(report, file_type)
