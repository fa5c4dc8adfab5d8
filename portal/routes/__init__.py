"""URL patterns by area; portal/urls.py includes them all."""
