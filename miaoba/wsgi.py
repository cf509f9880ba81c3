"""WSGI entry point of the project: `application`, which refuses to start with a serious
configuration error (e.g. demo mode with DEBUG off; see `miaoba.checks.serve`).

See https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

from django.core.wsgi import get_wsgi_application

from miaoba.checks import serve

application = serve(get_wsgi_application)
