"""The fund's management commands."""
