"""Persons: one record per human being, attached to cases in many roles."""
