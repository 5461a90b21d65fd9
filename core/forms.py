"""What every HTML form shares: Bootstrap 5 classes, and domain errors shown next to fields.

Render a form with `{% include "forms/form.html" %}`: non-field errors in an alert, each
field's errors right under it (`id="<field id>_error"`).
"""

from django import forms

from .exceptions import DomainError
from .text import validate_single_line


class BootstrapFormMixin:
    """Put it first among a form's bases: `class MyForm(BootstrapFormMixin, forms.Form)`.

    Every text field shown as one line (not a textarea, not a password) refuses control
    characters (core/text.py)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(field, forms.CharField) and not isinstance(widget, (forms.Textarea, forms.PasswordInput)):
                field.validators.append(validate_single_line)
            if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                if "is-invalid" not in attrs.get("class", ""):
                    attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()

    def add_domain_error(self, exc: DomainError):
        """Show a service's refusal next to the field it names, or above the form."""
        self.add_error(exc.field if exc.field in self.fields else None, exc.message)
