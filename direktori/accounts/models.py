from django.contrib.auth.models import AbstractUser
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """The account of a person who signs in. Roles and area scopes arrive with the access issue."""

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
