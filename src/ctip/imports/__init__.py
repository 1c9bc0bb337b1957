"""Imports from the HTCDS Excel template, KoboToolbox, ODK Central and mapped spreadsheets;
HTCDS exports (issue 10)."""
