"""Which supports apply to a person on a day, and why: the rules are data in Entitlement.conditions.

A condition is ``{"fact": "months_operating", "op": ">=", "value": 12}``. The facts are the few
below, each typed and labelled; ``validate_conditions`` refuses an unknown fact, an unknown
operator or a value of the wrong type, so a malformed rule is caught when it is loaded, not when
someone asks. ``check`` evaluates every entitlement in force on the day for the audience and
explains each condition in plain words.
"""

import datetime
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from policies.models import Entitlement, PolicyDocument


@dataclass(frozen=True)
class Fact:
    name: str
    label: Promise
    kind: type  # bool or int
    unit: Promise | None = None


FACTS: dict[str, Fact] = {
    fact.name: fact
    for fact in (
        Fact("is_registered_household_business", gettext_lazy("registered as a household business"), bool),
        Fact(
            "months_operating",
            gettext_lazy("months the household business has operated"),
            int,
            gettext_lazy("months"),
        ),
        Fact("is_first_startup", gettext_lazy("this is the founder's first startup"), bool),
        Fact(
            "months_since_founded",
            gettext_lazy("months since the enterprise or project was founded"),
            int,
            gettext_lazy("months"),
        ),
        Fact("is_poor_household", gettext_lazy("a poor or near-poor household"), bool),
        Fact("has_business_plan", gettext_lazy("has a business plan"), bool),
        Fact("insured_staff", gettext_lazy("staff paying social insurance"), int, gettext_lazy("people")),
        Fact("annual_revenue", gettext_lazy("revenue of the last year"), int, gettext_lazy("dong")),
    )
}

OPERATORS: dict[str, Callable[[int, int], bool]] = {
    "==": operator.eq,
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
}


class RuleError(ValueError):
    """A condition or a fact that the checker does not know; the message says which and why."""


@dataclass(frozen=True)
class Condition:
    fact: Fact
    op: str
    value: int | bool

    def describe(self) -> str:
        """The condition in plain words: "months the household business has operated: at least 12 months"."""
        if self.fact.kind is bool:
            wanted = _("yes") if self.value else _("no")
            return _("%(fact)s: %(wanted)s") % {"fact": self.fact.label, "wanted": wanted}
        amount = number_format(self.value, force_grouping=True)
        if self.fact.unit:
            amount = f"{amount} {self.fact.unit}"
        templates = {
            "==": _("%(fact)s: exactly %(amount)s"),
            ">=": _("%(fact)s: at least %(amount)s"),
            "<=": _("%(fact)s: at most %(amount)s"),
            ">": _("%(fact)s: more than %(amount)s"),
            "<": _("%(fact)s: less than %(amount)s"),
        }
        return templates[self.op] % {"fact": self.fact.label, "amount": amount}

    def is_met_by(self, value) -> bool:
        return value is not None and OPERATORS[self.op](value, self.value)


def _is_of_kind(value, kind: type) -> bool:
    # bool is an int in Python; a rule on a number must not take True for 1.
    return isinstance(value, kind) and (kind is bool or not isinstance(value, bool))


def validate_conditions(conditions) -> list[Condition]:
    """The conditions as typed objects; raises RuleError naming the first malformed one."""
    if not isinstance(conditions, list):
        raise RuleError(_("Conditions must be a list."))
    parsed = []
    for position, condition in enumerate(conditions, start=1):
        if not isinstance(condition, dict) or set(condition) != {"fact", "op", "value"}:
            raise RuleError(
                _("Condition %(position)s must have exactly the keys fact, op and value.")
                % {"position": position}
            )
        fact = FACTS.get(condition["fact"])
        if fact is None:
            raise RuleError(
                _("Condition %(position)s: unknown fact “%(fact)s”; known facts are: %(known)s.")
                % {"position": position, "fact": condition["fact"], "known": ", ".join(FACTS)}
            )
        allowed = ("==",) if fact.kind is bool else tuple(OPERATORS)
        if condition["op"] not in allowed:
            raise RuleError(
                _("Condition %(position)s: operator “%(op)s” is not one of: %(allowed)s.")
                % {"position": position, "op": condition["op"], "allowed": ", ".join(allowed)}
            )
        if not _is_of_kind(condition["value"], fact.kind):
            raise RuleError(
                _("Condition %(position)s: the value of “%(fact)s” must be %(kind)s.")
                % {"position": position, "fact": fact.name, "kind": _kind_name(fact.kind)}
            )
        parsed.append(Condition(fact, condition["op"], condition["value"]))
    return parsed


def _kind_name(kind: type) -> str:
    return _("true or false") if kind is bool else _("a whole number")


def validate_facts(facts: Mapping) -> dict:
    """The facts given, typed; raises RuleError for an unknown fact or a value of the wrong type.

    A fact left out (or None) is "not given": conditions on it are not met.
    """
    for name, value in facts.items():
        fact = FACTS.get(name)
        if fact is None:
            raise RuleError(
                _("Unknown fact “%(fact)s”; known facts are: %(known)s.")
                % {"fact": name, "known": ", ".join(FACTS)}
            )
        if value is not None and not _is_of_kind(value, fact.kind):
            raise RuleError(
                _("The value of “%(fact)s” must be %(kind)s.") % {"fact": name, "kind": _kind_name(fact.kind)}
            )
    return {name: value for name, value in facts.items() if value is not None}


@dataclass(frozen=True)
class Reason:
    text: str
    is_met: bool
    is_given: bool = True


@dataclass(frozen=True)
class Result:
    entitlement: Entitlement
    applies: bool
    reasons: list[Reason]

    @property
    def document(self) -> PolicyDocument:
        return self.entitlement.governing_document


def explain(entitlement: Entitlement, facts: Mapping) -> Result:
    """Whether ``entitlement`` applies to ``facts`` (already validated), condition by condition."""
    reasons = []
    for condition in validate_conditions(entitlement.conditions):
        value = facts.get(condition.fact.name)
        reasons.append(Reason(condition.describe(), condition.is_met_by(value), is_given=value is not None))
    return Result(entitlement, all(reason.is_met for reason in reasons), reasons)


def entitlements_for(on: datetime.date, audience: str | None = None) -> Iterable[Entitlement]:
    entitlements = Entitlement.objects.in_force_on(on).select_related("governing_document", "procedure")
    if audience:
        entitlements = entitlements.filter(audience=audience)
    return entitlements


def check(facts: Mapping, on: datetime.date, *, audience: str | None = None) -> list[Result]:
    """Every entitlement in force on ``on`` (for ``audience``, if given), applying ones first.

    Raises RuleError for an unknown fact or a value of the wrong type.
    """
    given = validate_facts(facts)
    results = [explain(entitlement, given) for entitlement in entitlements_for(on, audience)]
    return sorted(results, key=lambda result: not result.applies)
