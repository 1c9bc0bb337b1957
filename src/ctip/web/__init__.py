"""The web application: app factory, shared dependencies, templates and static files."""
