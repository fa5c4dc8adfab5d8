"""The conversions' Celery tasks: thin, each calls one service.

The tasks of an import (previewing a long list, writing a long confirmed one) are defined beside their
service in ``conversions/services/imports.py``: the service queues them and they call the service,
which reads the registry's rules in ``conversions/services/registry.py``; a task here that imported
the services queueing it would make an import cycle. They are imported here so that the worker's
autodiscovery registers them.
"""

from conversions.services.imports import preview_import, write_import

__all__ = ["preview_import", "write_import"]
