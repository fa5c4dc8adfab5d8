from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination

from portal.bounds import parse_whole_number
from portal.paging import ListPaginator

# No list of the portal has a million pages; a page number beyond the last one is DRF's 404.
MAX_PAGE = 1_000_000


class PortalPagination(PageNumberPagination):
    """The project's page of 50 rows; a client may ask for up to 200 with ``page_size``.

    The count is kept for a minute, as the pages' is (``portal.paging.ListPaginator``). ``page`` and
    ``page_size`` are whole numbers in ASCII digits within their bounds (``last`` is the last page);
    anything else is a 400 naming the parameter, never a silent default. The schema states the bounds.
    """

    django_paginator_class = ListPaginator
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_number(self, request, paginator):
        value = request.query_params.get(self.page_query_param) or 1
        if value in self.last_page_strings:
            return paginator.num_pages
        return _parameter(self.page_query_param, value, maximum=MAX_PAGE)

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if not value:
            return self.page_size
        return _parameter(self.page_size_query_param, value, maximum=self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        maxima = {self.page_query_param: MAX_PAGE, self.page_size_query_param: self.max_page_size}
        for parameter in parameters:
            parameter["schema"] |= {"minimum": 1, "maximum": maxima[parameter["name"]]}
        return parameters


def _parameter(name: str, value, *, maximum: int) -> int:
    try:
        return parse_whole_number(value, minimum=1, maximum=maximum)
    except DjangoValidationError as error:
        raise serializers.ValidationError({name: error.messages}) from None
