"""Personal data (Decree 13/2023): how CCCD and phone numbers show to those who may not see them whole."""

MASK_CHARACTER = "•"
VISIBLE_DIGITS = 4


def mask(value: str | None) -> str:
    """All but the last four digits hidden: ``"0912 345 678"`` -> ``"••••••5678"``.

    Only digits count, so spaces or dots in the stored number reveal nothing; a number of
    four digits or fewer is hidden whole.
    """
    digits = "".join(char for char in (value or "") if char.isdigit())
    if len(digits) <= VISIBLE_DIGITS:
        return MASK_CHARACTER * len(digits)
    return MASK_CHARACTER * (len(digits) - VISIBLE_DIGITS) + digits[-VISIBLE_DIGITS:]
