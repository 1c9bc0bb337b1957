"""Backup and restore of the registry with integrity checks (issue 9 §6)."""
