from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "direktori.members"
    verbose_name = _("CBO members")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from direktori.accounts.models import User

        post_save.connect(_link_new_account, sender=User, dispatch_uid="members-link-account")


def _link_new_account(sender: object, instance: object, created: bool, **kwargs: object) -> None:
    """A new account finds its person in the register by mobile number (see services)."""
    phone = getattr(instance, "phone", "")
    if not created or not phone:
        return
    from .models import Person
    from .services import person_link_account

    person = Person.objects.filter(phone=phone, user__isnull=True).first()
    if person is not None:
        person_link_account(person=person)
