"""Single-line text: a subject, a name, a username. It holds no line break, tab or other
control character, since it may become an e-mail header, a CSV cell or a log line.

`validate_single_line` is the validator; the project's serializer bases (core/serializers.py)
and form mixin (core/forms.py) give it to every single-line text field, so no field needs it
by hand.
"""
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Unicode's control characters (C0, DEL, C1) and its line and paragraph separators.
_NOT_ON_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def has_control_characters(value: str) -> bool:
    return _NOT_ON_ONE_LINE.search(value) is not None


def validate_single_line(value) -> None:
    if isinstance(value, str) and has_control_characters(value):
        raise ValidationError(
            _("Line breaks, tabs and other control characters are not allowed here."),
            code="control_characters",
        )
