"""The reference data of projects: the poverty standards in force since the programme began.

Decision 59/2015/QĐ-TTg (multidimensional standard 2016–2020, applied through 2021) and Decree
07/2021/NĐ-CP (2022–2025). A later standard is entered by the administrator when it is issued. A row
that exists is never changed.
"""

import datetime

from portal.catalogue import CatalogueReport
from projects.models import PovertyStandard

STANDARDS = (
    {
        "name": "Chuẩn nghèo đa chiều giai đoạn 2016–2020",
        "legal_basis": "Quyết định 59/2015/QĐ-TTg",
        "valid_from": datetime.date(2016, 1, 1),
        "valid_until": datetime.date(2021, 12, 31),
        "rural_income_line": 1_000_000,
        "urban_income_line": 1_300_000,
        "rural_extreme_line": 700_000,
        "urban_extreme_line": 900_000,
        "indicators": 10,
        "deprivation_threshold": 3,
    },
    {
        "name": "Chuẩn nghèo đa chiều giai đoạn 2022–2025",
        "legal_basis": "Nghị định 07/2021/NĐ-CP",
        "valid_from": datetime.date(2022, 1, 1),
        "valid_until": datetime.date(2025, 12, 31),
        "rural_income_line": 1_500_000,
        "urban_income_line": 2_000_000,
        "indicators": 12,
        "deprivation_threshold": 3,
    },
)


def load(report: CatalogueReport) -> None:
    for standard in STANDARDS:
        if PovertyStandard.objects.filter(valid_from=standard["valid_from"]).exists():
            report.existing["PovertyStandard"] += 1
            continue
        PovertyStandard.objects.create(**standard)
        report.created["PovertyStandard"] += 1
