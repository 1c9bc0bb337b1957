"""The home page: counts in the user's scope and recent activity."""
