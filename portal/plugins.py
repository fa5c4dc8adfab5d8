"""What each installed app contributes to the whole, found by module name.

The ground imports no app. Where the whole is made of every app's part (the reference data, the
demo, the synthetic province, the review reports' sections, the measures a unit can have targets
for), each app puts its part in a module of an agreed name, and the ground finds it here through
Django's app registry, the way the admin finds ``admin`` modules.
"""

import functools
from types import ModuleType

from django.apps import apps
from django.utils.module_loading import import_module, module_has_submodule


def app_modules(name: str) -> list[ModuleType]:
    """``<app>.<name>`` of every installed app that has such a module, in INSTALLED_APPS order."""
    return list(_modules(name, tuple(config.name for config in apps.get_app_configs())))


@functools.cache
def _modules(name: str, app_names: tuple[str, ...]) -> tuple[ModuleType, ...]:
    """Looked for once per set of installed apps: a look is a search of each app's package on disk, and
    pages ask on every request (the home's panels, a dossier's links, the dashboard's sections)."""
    return tuple(
        import_module(f"{app_name}.{name}")
        for app_name in app_names
        if module_has_submodule(import_module(app_name), name)
    )
