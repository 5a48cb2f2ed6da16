"""PDF status reports of a municipality and of a daycare; the sections each app adds to
the institution report register in core/reports.py."""
