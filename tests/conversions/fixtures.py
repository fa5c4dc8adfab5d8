"""A commune's registry and its conversion cases, built through the services.

``from tests.conversions.fixtures import *`` brings in the ``conversions`` fixture: the cast's
commune (Xã Sơn Định) with the programme's reference data loaded (the conversion-support
procedure, the entitlements with their dates, the follow-up schedule), one household business
owned by Bùi Văn Nộp (the cast's applicant) and one in the other commune.
"""

import datetime
from dataclasses import dataclass

import pytest

from conversions.models import Conversion, HouseholdBusiness
from conversions.services import cases
from conversions.services.registry import record_household_business
from dossiers.catalogue import CONVERSION_SUPPORT
from dossiers.models import Dossier, Procedure
from dossiers.services.applicants import Person
from dossiers.services.documents import attach_document
from dossiers.services.dossiers import start_dossier, submit_dossier
from portal.catalogue import load_reference_data
from tests.conftest import Cast
from tests.dossiers.fixtures import Dossiers, dossiers_for, pdf_upload

__all__ = ["Conversions", "conversions", "media_root"]

from tests.dossiers.fixtures import media_root


@dataclass
class Conversions:
    cast: Cast
    shop: Dossiers
    business: HouseholdBusiness  # Cơ sở kẹo dừa Tư Nộp, Bùi Văn Nộp's, Xã Sơn Định, since 2019
    other_business: HouseholdBusiness  # Vựa cây giống Năm Khác, Xã Cẩm Sơn

    @property
    def officer(self):
        return self.cast.commune_officer

    def add(
        self, name: str, number: str, *, national_id: str, unit=None, registered_on=None, by=None, **fields
    ):
        unit = unit or self.cast.units.commune
        if by is None:
            by = (
                self.cast.commune_officer
                if unit == self.cast.units.commune
                else self.cast.other_commune_officer
            )
        return record_household_business(
            by=by,
            owner=Person(full_name=f"Chủ {name}", national_id=national_id, phone="0900000000"),
            name=name,
            registration_number=number,
            registered_on=registered_on or datetime.date(2019, 3, 4),
            address=f"Ấp 1, {unit.name}",
            unit=unit,
            sector=fields.pop("sector", "C"),
            **fields,
        )

    def conversion_dossier(self, business: HouseholdBusiness | None = None) -> Dossier:
        business = business or self.business
        dossier = start_dossier(
            procedure=Procedure.objects.get(code=CONVERSION_SUPPORT),
            applicant=business.owner,
            filed_by=self.officer,
            unit=business.unit,
            channel=Dossier.Channel.IN_PERSON,
            summary=f"Chuyển đổi {business.name} lên doanh nghiệp",
        )
        given = set(dossier.documents.values_list("requirement_id", flat=True))
        for requirement in dossier.procedure_version.requirements.exclude(pk__in=given):
            attach_document(dossier=dossier, requirement=requirement, upload=pdf_upload(), by=self.officer)
        submit_dossier(dossier=dossier, by=self.officer)
        return Dossier.objects.get(pk=dossier.pk)

    def registered(
        self,
        business: HouseholdBusiness | None = None,
        *,
        on: datetime.date = datetime.date(2024, 6, 10),
        code: str = "1300123456",
        by=None,
    ) -> Conversion:
        """A case taken through identified, advised and filed to registered on ``on`` (by the commune's
        officer unless ``by``)."""
        business = business or self.business
        by = by or self.officer
        conversion = cases.identify_candidate(business=business, by=by, on=on - datetime.timedelta(days=40))
        conversion = cases.advise(conversion=conversion, by=by, on=on - datetime.timedelta(days=30))
        conversion = cases.link_dossier(
            conversion=conversion,
            dossier=self.conversion_dossier(business),
            by=by,
            on=on - datetime.timedelta(days=5),
        )
        return cases.register_enterprise(
            conversion=conversion,
            by=by,
            enterprise_code=code,
            enterprise_name=f"Công ty TNHH {business.name}",
            registered_on=on,
            insured_workers=6,
            yearly_revenue=2_000_000_000,
        )


def build_conversions(cast: Cast) -> Conversions:
    shop = dossiers_for(cast)
    load_reference_data()  # after the shop's own kinds, which the catalogue then leaves as they are
    business = record_household_business(
        by=cast.commune_officer,
        owner=Person(full_name="Bùi Văn Nộp", national_id=shop.applicant.national_id),
        name="Cơ sở kẹo dừa Tư Nộp",
        registration_number="56A8001234",
        registered_on=datetime.date(2019, 3, 4),
        address="Ấp Sơn Quy, xã Sơn Định",
        unit=cast.units.commune,
        sector="C",
        workers=8,
        revenue_band=HouseholdBusiness.RevenueBand.UP_TO_3B,
    )
    other = record_household_business(
        by=cast.other_commune_officer,
        owner=Person(full_name="Đỗ Thị Nộp Khác", national_id=shop.other_applicant.national_id),
        name="Vựa cây giống Năm Khác",
        registration_number="56B8005678",
        registered_on=datetime.date(2020, 8, 1),
        address="Ấp Cẩm Hòa, xã Cẩm Sơn",
        unit=cast.units.other_commune,
        sector="A",
        workers=3,
    )
    return Conversions(cast=cast, shop=shop, business=business, other_business=other)


@pytest.fixture
def conversions(cast, media_root) -> Conversions:
    return build_conversions(cast)
