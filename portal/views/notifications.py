"""The signed-in person's notifications."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from portal.models import Notification
from portal.paging import ListPaginator
from portal.services.notifications import mark_all_read


@login_required
def notification_list(request):
    notifications = Notification.objects.visible_to(request.user).order_by(
        # Unread first, then the newest.
        Case(When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()),
        "-created_at",
        "-pk",
    )
    page = ListPaginator(notifications, 50).get_page(request.GET.get("page"))
    has_unread = any(notification.read_at is None for notification in page)
    return render(request, "portal/notifications/list.html", {"page": page, "has_unread": has_unread})


@login_required
@require_POST
def notifications_read(request):
    count = mark_all_read(request.user)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)s notification marked as read.", "%(count)s notifications marked as read.", count
            )
            % {"count": count},
        )
    return redirect("notification_list")
