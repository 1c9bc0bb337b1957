"""Entity resolution of persons (Splink 5) and matching of outside lists."""
