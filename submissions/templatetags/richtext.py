from django import template
from django.utils.safestring import mark_safe

from submissions.richtext import richtext_clean

register = template.Library()


@register.filter
def richtext(value):
    """Profile rich text, sanitised again at output: only the allowed formatting tags reach the page."""
    # Safe to mark: nh3 has just removed every tag and attribute outside the allowed formatting set.
    return mark_safe(richtext_clean(value))
