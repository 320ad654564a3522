from django import template
from django.utils.safestring import SafeString

from direktori.publishing import page_refs

register = template.Library()


@register.simple_tag(takes_context=True)
def page_link(context: template.Context, anchor: str, label: str = "") -> SafeString:
    """A link to `anchor` (an element's id) ending with its page, filled in after layout."""
    digits = context.get("page_digits") or page_refs.DIGITS
    return page_refs.page_link(anchor, label, int(digits))
