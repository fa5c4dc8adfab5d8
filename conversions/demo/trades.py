"""The trades of former Bến Tre's household businesses, by area: what the demo and the synthetic province
register, with their VSIC section, usual workforce and revenue.

Coconut candy and coconut handicraft in Mỏ Cày, plant nurseries, bonsai and fruit gardens in Chợ Lách,
rice paper in Mỹ Lồng and puffed cakes in Sơn Đốc (Giồng Trôm), clams, shrimp, dried fish and fish
sauce along the coast (Bình Đại, Ba Tri, Thạnh Phú), shops and eateries in the town.
"""

from dataclasses import dataclass

from conversions.models import HouseholdBusiness

Band = HouseholdBusiness.RevenueBand


@dataclass(frozen=True)
class Trade:
    name: str  # "Kẹo dừa": the business is "Hộ kinh doanh Kẹo dừa <owner's given name>"
    sector: str  # VSIC section
    workers: tuple[int, int]
    bands: tuple[str, ...]  # the revenue bands it usually has, the commonest first


COCONUT = (
    Trade("Kẹo dừa", "C", (3, 14), (Band.UP_TO_3B, Band.UNDER_500M)),
    Trade("Thạch dừa", "C", (2, 10), (Band.UNDER_500M, Band.UP_TO_3B)),
    Trade("Chỉ xơ dừa", "C", (4, 20), (Band.UP_TO_3B, Band.UNDER_500M)),
    Trade("Mỹ nghệ gáo dừa", "C", (2, 9), (Band.UNDER_500M,)),
    Trade("Than gáo dừa", "C", (2, 8), (Band.UNDER_500M, Band.UP_TO_3B)),
    Trade("Vựa dừa khô", "G", (2, 6), (Band.UP_TO_3B, Band.UP_TO_10B)),
)
GARDENS = (
    Trade("Vườn ươm cây giống", "A", (2, 12), (Band.UNDER_500M, Band.UP_TO_3B)),
    Trade("Hoa kiểng bonsai", "A", (1, 6), (Band.UNDER_500M, Band.UP_TO_3B)),
    Trade("Vườn sầu riêng", "A", (1, 5), (Band.UNDER_500M, Band.UP_TO_3B)),
    Trade("Vựa trái cây", "G", (2, 8), (Band.UP_TO_3B, Band.UNDER_500M)),
    Trade("Cá kiểng", "A", (1, 4), (Band.UNDER_500M,)),
)
CAKES = (
    Trade("Bánh tráng", "C", (2, 10), (Band.UNDER_500M, Band.UP_TO_3B)),
    Trade("Bánh phồng", "C", (2, 12), (Band.UNDER_500M, Band.UP_TO_3B)),
    Trade("Vựa bưởi da xanh", "G", (2, 6), (Band.UP_TO_3B, Band.UNDER_500M)),
)
COAST = (
    Trade("Nuôi nghêu", "A", (3, 15), (Band.UP_TO_3B, Band.UNDER_500M)),
    Trade("Nuôi tôm", "A", (2, 10), (Band.UP_TO_3B, Band.UP_TO_10B)),
    Trade("Cá khô", "C", (2, 8), (Band.UNDER_500M, Band.UP_TO_3B)),
    Trade("Nước mắm", "C", (2, 10), (Band.UNDER_500M, Band.UP_TO_3B)),
    Trade("Làm muối", "B", (2, 6), (Band.UNDER_500M,)),
)
TOWN = (
    Trade("Tạp hóa", "G", (1, 3), (Band.UNDER_500M, Band.UP_TO_3B)),
    Trade("Quán ăn", "I", (2, 6), (Band.UNDER_500M,)),
    Trade("Sửa xe", "G", (1, 3), (Band.UNDER_500M,)),
    Trade("Homestay miệt vườn", "I", (2, 6), (Band.UNDER_500M,)),
    Trade("Vận tải hàng hóa", "H", (2, 5), (Band.UNDER_500M, Band.UP_TO_3B)),
)
EVERY_TRADE = (*COCONUT, *GARDENS, *CAKES, *COAST, *TOWN)
