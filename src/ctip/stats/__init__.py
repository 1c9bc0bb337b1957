"""Statistics: the annual review, its goals and its exports."""
