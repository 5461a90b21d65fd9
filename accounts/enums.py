from django.db import models
from django.utils.translation import gettext_lazy as _


class RoleCode(models.TextChoices):
    FOUNDER = "founder", _("Founder")
    REVIEWER = "reviewer", _("Reviewer")
    APPROVER = "approver", _("Approver")
    SPACE_MANAGER = "space_manager", _("Coworking-space manager")
    EXPO_ORGANISER = "expo_organiser", _("Expo organiser")
    ADMIN = "admin", _("Administrator")


# Roles that see every startup (everyone but founders works for the incubator).
STAFF_ROLES = frozenset(RoleCode.values) - {RoleCode.FOUNDER}
