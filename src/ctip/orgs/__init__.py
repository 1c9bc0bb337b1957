"""Organisations (agencies, NGOs, employers, compounds) and locations."""
