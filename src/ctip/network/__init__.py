"""Networks of persons, identifiers, organisations, places and cases; exports; alerts."""
