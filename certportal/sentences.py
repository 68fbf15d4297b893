"""One full stop at the end of a sentence that ends on a name: "… oleh Andi Saputra, S.Sos." and not "S.Sos..".

Names here carry their academic titles, and most titles end with their own full stop (S.Sos., M.Si., Drs.); a
sentence that puts such a name last, in either language ("To sign, type your name …: %(name)s.", "Hanya entri oleh
%(name)s."), doubled it. ``one_full_stop(text)`` is applied to every sentence formed with a person's name (in Python
around the formatted sentence; in templates ``{% blocktranslate asvar s … %}{{ s|one_full_stop }}``, the filter
registered as a builtin like ``|day``). An ellipsis ("...") is left as it is.
"""

from __future__ import annotations

import re

from django import template
from django.utils.safestring import SafeData, mark_safe

register = template.Library()

_DOUBLED = re.compile(r"(?<=\w\.)\.(?!\.)")  # a full stop right after a word's own full stop, not an ellipsis


def one_full_stop(text) -> str:
    """``text`` with a doubled full stop after a title made one; HTML marked safe stays safe (a dot removed)."""
    if not text:
        return "" if text is None else text
    single = _DOUBLED.sub("", str(text))
    return mark_safe(single) if isinstance(text, SafeData) else single  # noqa: S308 (only a dot removed)


register.filter("one_full_stop", one_full_stop, is_safe=True)
