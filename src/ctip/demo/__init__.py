"""Seeded, deterministic demo data with recorded ground truth."""
