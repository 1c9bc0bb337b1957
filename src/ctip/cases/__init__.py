"""Cases: reference numbers, lifecycle, timeline events, persons in roles."""
