"""The projects app in the API: projects, poverty-escape plans, mentors and their sessions, success models.

Every view starts from ``visible_to(request.user)``: a row outside the caller's scope is 404, one the
caller sees but may not change is 403 (projects/access.py). Every write calls one service
(projects/services/); a rule's refusal is 400, or 409 when the state of what was to change does not
allow it (portal/api/errors.py).
"""
