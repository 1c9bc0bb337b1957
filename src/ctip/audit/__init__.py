"""Append-only audit trail of reads, changes, exports and log-ins."""
