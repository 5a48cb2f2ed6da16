"""Pages of the goals app, by subject. Every view fetches through the user's scope
(`visible_to`; 404 outside it), then checks a role in permissions.py (403)."""
