"""gunicorn's settings for every way the portal is served (gunicorn reads this file from the folder it
starts in): production (docs/operations.md), ``make run`` and the API fuzzing gate.

A request line may be as long as the reverse proxy lets through (nginx's default buffer is 8 KB):
gunicorn's own limit, 4,094 bytes, would answer a longer address (a search of 100 Vietnamese
characters in two fields, percent-encoded) with its bare English 414 page instead of the portal's.
"""

limit_request_line = 8190  # gunicorn's largest
