"""The API of an import: upload, preview, confirm."""

urlpatterns: list = []
