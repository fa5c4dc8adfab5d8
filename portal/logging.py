"""Log filters: personal data never reaches a log line."""

import logging
import re

# CCCD numbers (12 digits), old ID numbers (9 digits) and Vietnamese phone numbers.
_PERSONAL_NUMBER = re.compile(r"(?<!\d)(?:\+?84|0)\d{8,10}(?!\d)|(?<!\d)\d{12}(?!\d)|(?<!\d)\d{9}(?!\d)")


def redact(text: str) -> str:
    return _PERSONAL_NUMBER.sub("[redacted]", text)


class RedactPersonalData(logging.Filter):
    """Replace identity and phone numbers in the rendered message with ``[redacted]``."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
