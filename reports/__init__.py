"""Targets, the periodic review reports built by Celery jobs, and the dashboard. Each domain app
contributes its own section; this app never reads another app's tables.
"""
