"""The API of an import: upload, preview, confirm (``api:household-business-import-…``)."""

from rest_framework.routers import SimpleRouter

from conversions.api_imports import HouseholdBusinessImportViewSet

router = SimpleRouter(use_regex_path=False)
router.register(
    "household-businesses/imports", HouseholdBusinessImportViewSet, basename="household-business-import"
)

urlpatterns = router.urls
