"""The test suite's settings: the platform's own, in development mode.

With nothing set the platform runs in production mode (HTTPS redirects, secure cookies, a real
SECRET_KEY required), which a test client cannot talk to. The suite, like `make run`, asks for
development mode unless the environment says otherwise; processes the tests start (workers,
servers) inherit it. Tests of production mode start their own interpreter
(tests/incubator/test_settings.py).
"""
import os

os.environ.setdefault("DJANGO_DEBUG", "true")

from incubator.settings import *  # noqa: E402,F403
