"""The role × route table: the rows, the cast's expected answers and the row type every area uses.

Each area keeps its rows next to its tests (``*_ROWS`` in its test module) and runs them there
with a check of its own state; tests/portal/test_role_routes.py holds the base rows and fails
when any route of the portal has no row in any area.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from tests.conftest import Cast


@dataclass
class Row:
    method: str
    url: Callable[[Cast], str]
    expected: dict[str, int]
    data: Callable[[Cast], dict] = field(default=lambda cast: {})


def everyone(status: int, **overrides: int) -> dict[str, int]:
    """Every role's answer; the mentor, a person with an account and no team, answers as the other
    applicant does unless the row says otherwise (only projects know mentors)."""
    expected = dict.fromkeys(Cast.ROLES, status) | overrides
    return expected | {"mentor": overrides.get("mentor", expected["other_applicant"])}


SIGNED_IN_ONLY = everyone(200, anonymous=302)
# Who may read the commune and its team: the province-wide roles, the district above it
# and the commune itself.
COMMUNE_READERS = everyone(
    404,
    anonymous=302,
    council_member=200,
    standing_officer=200,
    fund_officer=200,
    district_officer=200,
    commune_officer=200,
)
# Who may change the commune team: the standing agency and the team's head; others who see it get
# 403, the council among them (it oversees and changes nothing).
COMMUNE_TEAM_EDITORS = everyone(
    404,
    anonymous=302,
    council_member=403,
    standing_officer=302,
    commune_officer=302,
    fund_officer=403,
    district_officer=403,
)
