"""`{% rule_allows "app.perm" user [obj] as name %}`: asks the rules (django-rules) alone.

Django's `perms` and django-rules' own `has_perm` tag go through every authentication backend:
where the rule refuses, Django's model backend then reads the user's model permissions (two
queries), which the rules never grant. Use this tag for the rules of this project.
"""
import rules
from django import template

register = template.Library()


@register.simple_tag
def rule_allows(perm: str, user, obj=None) -> bool:
    return rules.has_perm(perm, user, obj)
