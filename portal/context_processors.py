from django.conf import settings


def portal(request) -> dict:
    return {"portal_env": settings.PORTAL_ENV}
