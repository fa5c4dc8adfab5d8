import pytest

from portal.personal_data import mask


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("083095001234", "••••••••1234"),
        ("0912 345 678", "••••••5678"),  # spaces reveal nothing
        ("+84 912.345.678", "•••••••5678"),
        ("1234", "••••"),  # four digits or fewer are hidden whole
        ("", ""),
        (None, ""),
    ],
)
def test_only_the_last_four_digits_show(value, masked):
    assert mask(value) == masked
