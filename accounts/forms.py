"""The account pages' forms: registration, the second factor, and Django's auth forms in
Bootstrap dress (their new passwords saved by accounts.services, which also ends API tokens)."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin

from . import services


class RegisterForm(BootstrapFormMixin, forms.Form):
    """A founder's own registration; `accounts.services.user_register_founder` does the rest
    (a free username and e-mail address, a strong enough password)."""

    username = forms.RegexField(
        label=_("Username"),
        regex=r"^[\w.@+-]+\Z",
        max_length=150,
        help_text=_("Up to 150 characters: letters, digits and @/./+/-/_ only."),
        error_messages={"invalid": _("Letters, digits and @/./+/-/_ only.")},
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    email = forms.EmailField(
        label=_("E-mail address"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=128,
        help_text=password_validation.password_validators_help_text_html(),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_confirm = forms.CharField(
        label=_("Password again"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        password, again = cleaned.get("password"), cleaned.get("password_confirm")
        if password and again and password != again:
            self.add_error("password_confirm", _("The two passwords differ."))
        return cleaned


class LoginForm(BootstrapFormMixin, auth_forms.AuthenticationForm):
    pass


class NewPasswordThroughService:
    """For Django's password forms with `user` and `new_password1`."""

    def save(self, commit=True):
        return services.user_set_password(user=self.user, password=self.cleaned_data["new_password1"], by=None)


class PasswordChangeForm(BootstrapFormMixin, NewPasswordThroughService, auth_forms.PasswordChangeForm):
    pass


class PasswordResetForm(BootstrapFormMixin, auth_forms.PasswordResetForm):
    pass


class SetPasswordForm(BootstrapFormMixin, NewPasswordThroughService, auth_forms.SetPasswordForm):
    pass


class AdminPasswordChangeForm(auth_forms.AdminPasswordChangeForm):
    """The admin's form for someone else's password (or none: an unusable one)."""

    def save(self, commit=True):
        password = self.cleaned_data["password1"] if self.cleaned_data["set_usable_password"] else None
        return services.user_set_password(user=self.user, password=password, by=None)


class OtpForm(BootstrapFormMixin, forms.Form):
    otp = forms.CharField(
        label=_("Code"),
        max_length=16,
        help_text=_("The 6 digits your authenticator app shows, or one of your backup codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )
