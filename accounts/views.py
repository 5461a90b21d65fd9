"""Account pages: a founder's registration, the rate-limited password reset and the second
factor (the rest are Django's auth views, see urls.py)."""
from base64 import b32encode

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.exceptions import InvalidInput
from core.views import query_without_page, require_perm

from . import selectors, services, sign_in
from .activity_filters import ActivityFilter
from .forms import OtpForm, PasswordResetForm, RegisterForm
from .throttles import password_reset_allowed


@require_http_methods(["GET", "POST"])
def register(request):
    """A visitor opens a founder account, then logs in with it."""
    if request.user.is_authenticated:
        return redirect("home")
    form = RegisterForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            user = services.user_register_founder(
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
            )
        except InvalidInput as exc:
            form.add_domain_error(exc)
        else:
            messages.success(
                request,
                _("Welcome, %(username)s! Your founder account is ready: log in to begin.")
                % {"username": user.username},
            )
            return redirect("login")
    return render(request, "registration/register.html", {"form": form})


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset page, rate-limited per client address and per e-mail address."""

    form_class = PasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def post(self, request, *args, **kwargs):
        if not password_reset_allowed(request):
            form = self.get_form()
            form.add_error(None, _("Too many password reset requests: please try again later."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)


def _next_page(request):
    """Where to go once the second factor is settled: `next` if it is on this site."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    """The second step of signing in, for a user with a confirmed device."""
    if sign_in.pending_step(request) != sign_in.VERIFY:
        return redirect(_next_page(request))
    form = OtpForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        device = django_otp.match_token(request.user, form.cleaned_data["otp"])
        if device is not None:
            sign_in.pass_second_factor(request, device)
            return redirect(_next_page(request))
        form.add_error("otp", _("This code is not right, or it was used already."))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": request.GET.get("next", "")})


@login_required
@require_http_methods(["GET", "POST"])
def otp_enrol(request):
    """A staff member enrols an authenticator app: start (a new secret), then confirm a code.

    Reached on signing in when the user's role requires a device and they have none; later,
    from the password page, to replace the device.
    """
    if not request.user.has_perm("accounts.enrol_otp"):
        raise PermissionDenied
    if request.method == "POST" and "start" in request.POST:
        services.otp_device_start(by=request.user)
        return redirect(request.get_full_path())
    form = OtpForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            device = services.otp_device_confirm(otp=form.cleaned_data["otp"], by=request.user)
        except InvalidInput as exc:
            form.add_domain_error(exc)
        else:
            sign_in.pass_second_factor(request, device)
            messages.success(
                request, _("Your authenticator app is set up. Keep a few backup codes for when it is out of reach.")
            )
            return redirect("otp-backup-codes")
    device = selectors.totp_device_being_enrolled(request.user)
    return render(
        request,
        "accounts/otp_enrol.html",
        {
            "form": form,
            "device": device,
            "secret": b32encode(device.bin_key).decode() if device else "",
            "required": sign_in.pending_step(request) == sign_in.ENROL,
            "next": request.GET.get("next", ""),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def otp_backup_codes(request):
    """One-time backup codes: made anew on request and shown once."""
    if not request.user.has_perm("accounts.enrol_otp"):
        raise PermissionDenied
    codes = None
    if request.method == "POST":
        try:
            codes = services.otp_backup_codes_create(by=request.user)
        except InvalidInput as exc:
            messages.error(request, exc.message)
            return redirect("otp-enrol")
    return render(
        request,
        "accounts/otp_backup_codes.html",
        {"codes": codes, "remaining": selectors.backup_codes_left(request.user)},
    )


ACTIVITY_PER_PAGE = 50


@login_required
def activity_log(request):
    """The log of configuration changes (queues, rules, holidays, programs, departments,
    roles), for admins: who changed what, when, from which value to which."""
    require_perm(request.user, "core.view_activityentry")
    filters = ActivityFilter(request.GET or None, queryset=selectors.activity_log(), request=request)
    page = Paginator(filters.qs, ACTIVITY_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/activity.html",
        {"page": page, "entries": page.object_list, "form": filters.form, "query": query_without_page(request)},
    )
