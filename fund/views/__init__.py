"""The fund's pages."""
