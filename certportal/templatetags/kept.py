"""``{% kept %}...{% endkept %}``: a detail page's body kept per record (:mod:`certportal.kept_pages`).

With ``kept`` in the context (a :class:`certportal.kept_pages.Body`), the body is read from the cache; when it is
not there, what it shows is drawn (``kept.draw()``), the body rendered with a placeholder for the CSRF token and
kept. Either way the reader's own token is put in before the page is sent. Without ``kept`` (a page answering a
refused form) the body is rendered from the context as it stands.
"""

from django import template
from django.conf import settings
from django.core.cache import cache
from django.utils.safestring import mark_safe

from certportal.kept_pages import csrf_placeholder

register = template.Library()


class KeptNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        body = context.get("kept")
        if body is None:
            return self.nodelist.render(context)
        token, placeholder = str(context.get("csrf_token", "")), csrf_placeholder()
        html = cache.get(body.key)
        if html is None:
            with context.push(**body.draw(), csrf_token=placeholder):
                html = self.nodelist.render(context)
            cache.set(body.key, str(html), settings.REPORT_FIGURES_CACHE_SECONDS)
        return mark_safe(str(html).replace(placeholder, token))  # noqa: S308 - rendered by the template engine


@register.tag
def kept(parser, token):
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(nodelist)
