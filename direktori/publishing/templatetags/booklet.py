from django import template
from django.utils.safestring import SafeString

from direktori.publishing import page_refs

register = template.Library()


@register.simple_tag(takes_context=True)
def page_ref(context: template.Context, anchor: str) -> SafeString:
    """The page of `anchor` (an element's id), filled in after layout (`page_refs`)."""
    digits = context.get("page_digits") or page_refs.DIGITS
    return page_refs.page_ref(anchor, int(digits))
