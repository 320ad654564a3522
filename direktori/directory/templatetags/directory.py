from django import template
from django.conf import settings

from direktori.directory.models import Location

register = template.Library()


@register.filter
def map_link(location: Location) -> str:
    """A link to the place on the configured map service (OpenStreetMap by default)."""
    return str(settings.DIREKTORI["MAP_LINK"]).format(lat=location.latitude, lon=location.longitude)
