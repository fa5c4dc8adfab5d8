"""Pages of a list whose length the page already knows.

Django's ``Paginator`` counts the rows with a query of its own. A list that counts its rows anyway (the
dossier queue's tabs, one grouped query over the scope) hands that count in, and the page costs one
scan of the scope fewer.
"""

from django.core.paginator import Paginator


class CountedPaginator(Paginator):
    """A ``Paginator`` told its ``count`` instead of asking the database."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.__dict__["count"] = count  # ``Paginator.count`` is a cached property: this is its value
