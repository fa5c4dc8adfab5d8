from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from portal.forms import ThrottledAdminLoginForm
from portal.models import (
    AdminUnit,
    ApiToken,
    AuditRecord,
    CalendarDay,
    Membership,
    Notification,
    Target,
    Team,
    User,
)

admin.site.site_header = _("Startup support portal – administration")
admin.site.site_title = _("Startup support portal")
admin.site.index_title = _("Administration")
# The admin's sign-in counts with the portal's and the API's, and is refused with them (portal/throttle.py).
admin.site.login_form = ThrottledAdminLoginForm


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Contact"), {"fields": ("full_name", "phone")}),
    )
    list_display = ("username", "full_name", "email", "is_staff", "is_active")
    search_fields = ("username", "full_name", "email")


@admin.register(AdminUnit)
class AdminUnitAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "level", "kind", "parent", "valid_from", "valid_until")
    list_filter = ("level", "kind")
    search_fields = ("search_name", "code")
    raw_id_fields = ("parent",)
    filter_horizontal = ("successors",)
    ordering = ("sort_name",)

    def get_search_results(self, request, queryset, search_term):
        # Diacritic-insensitive, like every search of the portal.
        return queryset.search(search_term), False


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "unit", "head", "active_from", "active_until")
    list_filter = ("kind",)
    search_fields = ("search_name",)
    raw_id_fields = ("unit", "parent", "head")
    inlines = [MembershipInline]

    def get_search_results(self, request, queryset, search_term):
        return queryset.search(search_term), False


@admin.register(AuditRecord)
class AuditRecordAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "channel", "action", "content_type", "object_repr", "address")
    list_filter = ("action", "channel", "content_type")
    readonly_fields = [field.name for field in AuditRecord._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "team", "position", "joined_on", "left_on")
    list_filter = ("team__kind",)
    search_fields = ("user__full_name", "user__username", "team__search_name")
    raw_id_fields = ("team", "user")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "weekday", "kind", "name")
    list_filter = ("kind",)
    search_fields = ("name",)
    date_hierarchy = "date"

    @admin.display(description=_("weekday"), ordering="date")
    def weekday(self, day: CalendarDay) -> str:
        return date_format(day.date, "l")


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("title", "recipient", "created_at", "read_at", "emailed_at")
    list_select_related = ("recipient",)
    search_fields = ("title", "recipient__username", "recipient__full_name")
    exclude = ("event_key",)


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ("unit", "year", "measure", "value")
    list_filter = ("year", "measure")
    list_select_related = ("unit",)
    raw_id_fields = ("unit",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Every token with its state; an administrator revokes one by deleting it.

    Nobody sees a key, not even here: none is kept.
    """

    list_display = ("user", "label", "prefix", "created_at", "last_used_at", "last_address", "state")
    list_select_related = ("user",)
    search_fields = ("user__username", "user__full_name", "label", "prefix")
    fields = list_display
    readonly_fields = list_display

    def has_add_permission(self, request):
        return False  # a token is issued by signing in, to the person who signs in

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("state"))
    def state(self, token: ApiToken) -> str:
        if not token.user.is_active:
            return str(_("not working: the account is inactive"))
        if token.outlived_its_password():
            return str(_("not working: the password has changed since"))
        if token.is_idle():
            return str(_("not working: unused for too long"))
        return str(_("working"))
