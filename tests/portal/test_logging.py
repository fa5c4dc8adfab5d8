import logging

from portal.logging import RedactPersonalData, redact


def test_identity_and_phone_numbers_are_redacted():
    assert (
        redact("CCCD 083204001234, ĐT 0912345678, +84912345678")
        == "CCCD [redacted], ĐT [redacted], [redacted]"
    )


def test_ordinary_numbers_survive():
    assert redact("hồ sơ 12 trang, mã 2026, 1.500.000 đồng") == "hồ sơ 12 trang, mã 2026, 1.500.000 đồng"


def test_filter_rewrites_the_record():
    record = logging.LogRecord("portal", logging.INFO, __file__, 1, "gọi %s", ("0912345678",), None)
    RedactPersonalData().filter(record)
    assert record.getMessage() == "gọi [redacted]"
