"""Startup projects, poverty-escape plans, support delivered, experts and mentors, success models and
their replications.
"""
