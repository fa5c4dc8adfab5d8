from django.conf import settings
from django.utils.functional import SimpleLazyObject

from portal.models import Notification
from portal.scope import scope_for


def portal(request) -> dict:
    """What the page frame needs: evaluated only when a template uses it."""
    context = {"portal_env": settings.PORTAL_ENV}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["unread_notification_count"] = SimpleLazyObject(
            lambda: Notification.objects.visible_to(user).unread().count()
        )
        # Officials see the work of their scope; the others, their own dossiers. Scope is cached per request.
        context["is_official"] = SimpleLazyObject(lambda: bool(scope_for(user).readable_unit_ids))
    return context
