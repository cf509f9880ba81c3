"""Template filters for the report's text: gaps marked so the author sees what is missing."""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from reports.tokens import GAP

register = template.Library()


@register.filter
def marked(text: str) -> SafeString:
    """Escape `text`, mark each 【待补充：…】 gap (<mark class="gap">) and keep line breaks."""
    html = GAP.sub(lambda m: f'<mark class="gap">{m.group(0)}</mark>', escape(text or ""))
    return mark_safe(html.replace("\n", "<br>"))  # noqa: S308 - escaped above
