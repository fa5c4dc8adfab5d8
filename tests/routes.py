"""Every route of the portal, found by walking the URL configuration."""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Sample values for the parameters of routes that take some.
_SAMPLE_KWARGS = {"app_label": "portal"}


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name" or "name"
    params: tuple[str, ...]

    def sample_url(self) -> str:
        return reverse(self.name, kwargs={param: _SAMPLE_KWARGS.get(param, "1") for param in self.params})


def all_routes() -> list[Route]:
    routes: dict[str, Route] = {}

    def walk(patterns, namespace: str | None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                params = tuple(pattern.pattern.regex.groupindex)
                routes.setdefault(name, Route(name=name, params=params))

    walk(get_resolver().url_patterns, None)
    return sorted(routes.values(), key=lambda route: route.name)
