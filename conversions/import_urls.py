"""The pages of an import of a commune's list of household businesses."""

urlpatterns: list = []
