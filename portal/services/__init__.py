"""Writes that mean something in the domain, one module per concept; each function owns its transaction."""
