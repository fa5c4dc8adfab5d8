"""The projects' Celery tasks: thin, each calls one service.

The morning job that warns of late milestones is run by beat from ``projects/jobs.py`` (the worker's
autodiscovery finds both modules); it is named here so that a task of the app is found in one place.
"""

from projects.jobs import flag_late_milestones_this_morning

__all__ = ["flag_late_milestones_this_morning"]
