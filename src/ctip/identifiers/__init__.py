"""Identifiers (phones, passports, handles, accounts): normalised, blind-indexed, searchable."""
