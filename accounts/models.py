from django.contrib.auth.models import AbstractUser
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Upper
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from core.money import MoneyField

from .enums import STAFF_ROLES, RoleCode


class Department(models.Model):
    """A government department that letters are written to."""

    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(_("code"), max_length=32, unique=True)
    email = models.EmailField(_("generic e-mail address"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self):
        return self.name


class Role(models.Model):
    """One of the fixed roles (RoleCode); rows exist so roles can be granted in the admin."""

    code = models.CharField(_("code"), max_length=32, primary_key=True, choices=RoleCode.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self):
        return str(RoleCode(self.code).label)


class User(AbstractUser):
    roles = models.ManyToManyField(Role, blank=True, related_name="users", verbose_name=_("roles"))
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff",
        verbose_name=_("department"),
    )
    approval_limit = MoneyField(
        _("approval limit"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("The largest amount this approver may approve; empty for none."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Upper("email"), name="user_email_unique_ci", condition=~models.Q(email="")),
            models.CheckConstraint(
                condition=models.Q(approval_limit__gte=0) | models.Q(approval_limit__isnull=True),
                name="user_approval_limit_not_negative",
            ),
        ]

    @cached_property
    def role_codes(self) -> frozenset[str]:
        """The user's roles; a superuser is always an admin."""
        codes = {role.code for role in self.roles.all()}
        if self.is_superuser:
            codes.add(RoleCode.ADMIN)
        return frozenset(codes)

    def has_role(self, *codes: str) -> bool:
        return bool(self.role_codes.intersection(codes))

    @property
    def is_staff_member(self) -> bool:
        """Works for the incubator (any role but founder)."""
        return bool(self.role_codes & STAFF_ROLES)
