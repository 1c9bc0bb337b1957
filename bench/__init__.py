"""Benchmarks: ``make bench`` prints figures; they are measurements, not timed tests."""
