"""Retention dates, purges and the export of everything held about one person (issue 9 §8)."""
