"""Database plumbing: declarative base, engines and sessions, encrypted column types."""
