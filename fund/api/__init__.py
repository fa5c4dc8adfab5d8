"""The fund in the API: funds, regulations and capital; loan applications and their appraisal; loans,
their schedules, repayments, tranches and changes; decisions and their checking; the ledger.

Every view starts from ``visible_to(request.user)``: a row outside the caller's scope is 404, one the
caller sees but may not change is 403 (fund/access.py). Every write calls one service (fund/services/);
a rule's refusal is 400, or 409 when the state of what was to change does not allow it
(portal/api/errors.py). Every money request carries an ``Idempotency-Key`` header (fund/api/base.py).
"""
