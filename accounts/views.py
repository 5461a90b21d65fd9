"""Account pages: a founder's registration (the rest are Django's auth views, see urls.py)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.exceptions import InvalidInput

from . import services
from .forms import RegisterForm


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
