import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from django.conf import settings  # noqa: E402 - read once the settings are loaded

if not settings.DEBUG and not settings.REDIS_URL:
    # Several web processes need one shared cache (rate limits, the public check's counter);
    # management commands (collectstatic, migrate) do not load this module, so they still run.
    raise ImproperlyConfigured("DEBUG=0 needs REDIS_URL: the web processes must share one cache (see README).")
