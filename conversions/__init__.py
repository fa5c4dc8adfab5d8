"""Household businesses converting to enterprises: the pipeline, entitlements, follow-ups and outcomes."""
