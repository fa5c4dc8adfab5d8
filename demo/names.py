"""The Vietnamese words of the demo and the synthetic province: people's names, account names,
place names, the positions in each kind of team and the teams' names.

``demo`` and ``demo.synthetic`` draw from them, and so do the apps' demo parts.
"""

import random
from typing import Protocol

from portal.text import fold

# Family names with their rough share of the population (per mille).
FAMILY_NAMES = (
    ("Nguyễn", 380),
    ("Trần", 110),
    ("Lê", 95),
    ("Phạm", 70),
    ("Huỳnh", 50),
    ("Hoàng", 40),
    ("Võ", 39),
    ("Phan", 45),
    ("Trương", 20),
    ("Bùi", 20),
    ("Đặng", 21),
    ("Đỗ", 14),
    ("Ngô", 13),
    ("Hồ", 13),
    ("Dương", 10),
    ("Đinh", 7),
    ("Lý", 5),
    ("Lâm", 5),
    ("Mai", 4),
    ("Châu", 4),
    ("Cao", 3),
    ("Tô", 3),
    ("Thái", 3),
    ("Lương", 3),
)
MIDDLE_NAMES = {
    "male": ("Văn", "Văn", "Văn", "Minh", "Hữu", "Thanh", "Quốc", "Đức", "Công", "Hoàng", "Tấn", "Trọng"),
    "female": ("Thị", "Thị", "Thị", "Ngọc", "Thanh", "Thu", "Kim", "Mỹ", "Bích", "Hồng", "Thùy", "Phương"),
}
GIVEN_NAMES = {
    "male": (
        "An",
        "Bình",
        "Cường",
        "Dũng",
        "Duy",
        "Hải",
        "Hậu",
        "Hiếu",
        "Hùng",
        "Huy",
        "Khang",
        "Khoa",
        "Lộc",
        "Long",
        "Lợi",
        "Minh",
        "Nam",
        "Nghĩa",
        "Nhân",
        "Phong",
        "Phúc",
        "Quang",
        "Sơn",
        "Tài",
        "Tâm",
        "Thắng",
        "Thành",
        "Thiện",
        "Toàn",
        "Trí",
        "Trung",
        "Tuấn",
        "Việt",
        "Vinh",
    ),
    "female": (
        "Anh",
        "Châu",
        "Diễm",
        "Dung",
        "Duyên",
        "Giang",
        "Hà",
        "Hạnh",
        "Hằng",
        "Hoa",
        "Hương",
        "Lan",
        "Liên",
        "Linh",
        "Loan",
        "Mai",
        "Ngân",
        "Nga",
        "Ngọc",
        "Nhung",
        "Oanh",
        "Phượng",
        "Quyên",
        "Thảo",
        "Thủy",
        "Trâm",
        "Trang",
        "Tuyết",
        "Uyên",
        "Vân",
        "Vy",
        "Yến",
    ),
}
# Syllables of place names, as in the Mekong delta.
PLACE_SYLLABLES = (
    "An",
    "Bình",
    "Châu",
    "Định",
    "Đông",
    "Giao",
    "Hiệp",
    "Hòa",
    "Hưng",
    "Khánh",
    "Long",
    "Lộc",
    "Lương",
    "Mỹ",
    "Nhơn",
    "Phú",
    "Phước",
    "Quới",
    "Sơn",
    "Tân",
    "Thạnh",
    "Thành",
    "Thới",
    "Thuận",
    "Tiên",
    "Trung",
    "Vĩnh",
    "Xuân",
)

# Positions in the teams, head first.
COUNCIL_POSITIONS = (
    "Chủ tịch Hội đồng – Phó Chủ tịch UBND tỉnh",
    "Phó Chủ tịch Hội đồng – Giám đốc Sở Tài chính",
    "Phó Chủ tịch Hội đồng – Giám đốc Sở Khoa học và Công nghệ",
    "Ủy viên – Giám đốc Sở Công Thương",
    "Ủy viên – Giám đốc Sở Nông nghiệp và Môi trường",
    "Ủy viên – Chủ tịch Hiệp hội Doanh nghiệp tỉnh",
    "Ủy viên – Bí thư Tỉnh Đoàn",
    "Ủy viên – Giám đốc Quỹ Đầu tư khởi nghiệp",
    "Ủy viên – Trưởng ban Quản lý các khu công nghiệp",
)
BOARD_POSITIONS = ("Trưởng ban", "Phó Trưởng ban", "Thành viên", "Thành viên", "Thành viên")
STANDING_AGENCY_POSITIONS = (
    "Giám đốc Sở Tài chính",
    "Phó Giám đốc Sở Tài chính",
    "Trưởng phòng Doanh nghiệp, Kinh tế tập thể và Tư nhân",
    "Chuyên viên",
    "Chuyên viên",
)
FUND_POSITIONS = (
    "Giám đốc Quỹ",
    "Phó Giám đốc Quỹ",
    "Kế toán trưởng",
    "Cán bộ thẩm định",
    "Cán bộ thẩm định",
)
DISTRICT_TEAM_POSITIONS = (
    "Tổ trưởng – Phó Chủ tịch UBND {level}",
    "Tổ phó – Trưởng phòng Tài chính – Kế hoạch",
    "Thành viên – Trưởng phòng Kinh tế",
    "Thành viên – Chi cục Thuế khu vực",
    "Thành viên – Bí thư {level_organisation} Đoàn",
    "Thành viên – Hội Liên hiệp Phụ nữ {level}",
    "Thành viên – Hội Nông dân {level}",
    "Thành viên – Ngân hàng Chính sách xã hội",
)
COMMUNE_TEAM_POSITIONS = (
    "Tổ trưởng – Phó Chủ tịch UBND {level}",
    "Tổ phó – Công chức Tài chính – Kế toán",
    "Thành viên – Công chức Văn phòng – Thống kê",
    "Thành viên – Bí thư Đoàn Thanh niên",
    "Thành viên – Chủ tịch Hội Liên hiệp Phụ nữ",
    "Thành viên – Chủ tịch Hội Nông dân",
    "Thành viên – Công chức Kinh tế",
    "Thành viên – Trưởng ấp",
)


def positions(template: tuple[str, ...], count: int, *, unit_kind: str) -> list[str]:
    """``count`` positions from ``template``, head first, with the unit's level filled in."""
    level = unit_kind.lower()
    organisation = {"Huyện": "Huyện", "Thành phố": "Thành", "Thị xã": "Thị"}.get(unit_kind, "")
    chosen = list(template[:count]) + [template[-1]] * max(0, count - len(template))
    return [text.format(level=level, level_organisation=organisation) for text in chosen]


def vietnamese_name(rng: random.Random) -> str:
    """A plausible full name: family, middle and given name, e.g. "Nguyễn Thị Ngọc Hân"."""
    family = rng.choices([name for name, _ in FAMILY_NAMES], weights=[share for _, share in FAMILY_NAMES])[0]
    gender = rng.choice(("male", "female"))
    middle = rng.choice(MIDDLE_NAMES[gender])
    given = rng.choice(GIVEN_NAMES[gender])
    if rng.random() < 0.2:  # a second middle name, common in the south
        second = rng.choice(MIDDLE_NAMES[gender])
        if second not in (middle, "Văn", "Thị"):
            middle = f"{middle} {second}"
    return f"{family} {middle} {given}"


def login_name(full_name: str, taken: set[str]) -> str:
    """The usual Vietnamese account name, given name then initials: "Nguyễn Văn An" -> "annv", made unique."""
    words = fold(full_name).split()
    base = words[-1] + "".join(word[0] for word in words[:-1])
    name, number = base, 1
    while name in taken:
        number += 1
        name = f"{base}{number}"
    taken.add(name)
    return name


def place_name(rng: random.Random) -> str:
    first, second = rng.sample(PLACE_SYLLABLES, 2)
    return f"{first} {second}"


class Named(Protocol):
    """A unit as far as a team's name goes: an ``AdminUnit``, or a unit of the synthetic plan."""

    @property
    def name(self) -> str: ...

    @property
    def kind(self) -> str: ...


def team_name(prefix: str, unit: Named) -> str:
    """ "Tổ hỗ trợ …" + "xã Phú Túc": the unit's name with its kind in lower case."""
    name = unit.name
    if name.startswith(unit.kind):
        name = unit.kind.lower() + name[len(unit.kind) :]
    return f"{prefix} {name}"


DISTRICT_TEAM_PREFIX = "Tổ Xúc tiến đầu tư và Khởi nghiệp"
COMMUNE_TEAM_PREFIX = "Tổ hỗ trợ Đầu tư và Khởi nghiệp"
