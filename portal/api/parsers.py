"""How the API reads a request body: DRF's parsers, bounded (``REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]``).

DRF reads a JSON or form body whole, however large, and Python's JSON decoder recurses once per
level of nesting: a body of 50,000 nested lists ended in a RecursionError, a 500. These parsers
first read at most ``DATA_UPLOAD_MAX_MEMORY_SIZE`` bytes (Django's own bound on a form's data) and,
for JSON, count the levels of lists and objects without recursing; a body beyond either bound is
a 400 (``parse_error``) that says which, and nothing is read further.
"""

import io
import re

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

# No body the API takes (a dossier's step, an activity, a list of requirement ids) nests deeper.
MAX_DEPTH = 32
# The characters that open or close a level, a string, or escape the next character in a string.
SIGNIFICANT = re.compile(r'[\[\]{}"\\]')


def read_bounded(stream) -> bytes:
    """The body, or ParseError when it is larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE``."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None:
        return stream.read()
    body = stream.read(limit + 1)
    if len(body) > limit:
        raise ParseError(_("The body is too large: at most %(size)s.") % {"size": filesizeformat(limit)})
    return body


def nests_deeper_than(text: str, depth: int) -> bool:
    """Whether the JSON ``text`` opens more than ``depth`` lists and objects inside one another.

    It reads the text once, without recursion, skipping what is inside strings; malformed JSON is
    the decoder's to refuse.
    """
    if text.count("[") + text.count("{") <= depth:
        return False
    level, in_string, escaped_at = 0, False, -1
    for match in SIGNIFICANT.finditer(text):
        position, character = match.start(), match.group()
        if position == escaped_at:
            continue
        if in_string:
            if character == "\\":
                escaped_at = position + 1
            elif character == '"':
                in_string = False
        elif character == '"':
            in_string = True
        elif character in "[{":
            level += 1
            if level > depth:
                return True
        elif character in "]}":
            level -= 1
    return False


class BoundedJSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        body = read_bounded(stream)
        text = body.decode(parsers.get_encoding(parser_context or {}), errors="replace")
        if nests_deeper_than(text, MAX_DEPTH):
            raise ParseError(
                _("The body nests lists and objects too deeply: at most %(depth)s levels.")
                % {"depth": MAX_DEPTH}
            )
        return super().parse(io.BytesIO(body), media_type, parser_context)


class BoundedFormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return super().parse(io.BytesIO(read_bounded(stream)), media_type, parser_context)
