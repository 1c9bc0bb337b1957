"""Exports for partners, one ``ctip export <format>`` command each (CTDC, DHIS2, HTCDS ...)."""
