"""The portal's sections of the review reports (the interface: ``reports/sections.py``)."""

from portal.reporting.dossiers import DossierSection
from portal.reporting.teamwork import TeamWorkSection

SECTIONS = [DossierSection(), TeamWorkSection()]
