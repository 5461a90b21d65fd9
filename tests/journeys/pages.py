"""What the journeys through the pages share: a `Person`, a browser of one user in one language
that reads each step's confirmation in that language (and, in Korean, fails on English text), and
the local time a journey travels to."""

import datetime
import re

from django.conf import settings
from django.test import Client
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext


def at(year, month, day, hour=10) -> datetime.datetime:
    """A moment in the deployment's time zone, for `time_machine.travel`."""
    return datetime.datetime(year, month, day, hour, tzinfo=timezone.get_default_timezone())


def main_text(page: str) -> str:
    """The words of the page's main part: what a failed step's message should show."""
    main = page[page.find("<main") : page.find("</main>")]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())[:2000]


class Person:
    """A browser of one user (None: a visitor, never signed in), in one language.

    A message to read is given in English, as the code writes it, with the values it is
    formatted with (`values`, for a message with `%(name)s` placeholders)."""

    def __init__(self, user, language):
        self.user, self.client, self.language = user, Client(), language
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    def sign_in(self):
        """A fresh session: one signed in before a jump in time would have expired."""
        self.client.force_login(self.user)

    def text(self, message: str, values: dict | None = None) -> str:
        with translation.override(self.language):
            translated = gettext(message)
        if self.language != "en":
            assert translated != message, f"not translated into {self.language}: {message!r}"
        return translated % values if values else translated

    def get(self, url, *, shows: str, values: dict | None = None, listing: str = ""):
        """The page, in the person's language (`shows`), listing `listing` (data, untranslated)."""
        response = self.client.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        assert escape(self.text(shows, values)) in page, main_text(page)
        assert escape(listing) in page, main_text(page)
        return response

    def post(self, url, data=None, *, says: str, values: dict | None = None):
        """Send a form and follow the answer to the page that confirms it in the person's language."""
        response = self.client.post(url, data or {}, follow=True)
        assert response.status_code == 200
        page = response.content.decode()
        assert escape(self.text(says, values)) in page, main_text(page)
        return response
