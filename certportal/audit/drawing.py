"""The audit search page's rows and filter form, drawn in Python (as the verifier queue's rows are).

The template engine's per-variable look-ups and the five filters per row cost more than the page's queries, and
crispy-forms drew the six filter fields through dozens of nested templates: the page cost four times the bare list's
CPU (docs/benchmarks.md, "Misses"). The HTML a person gets is the one those templates gave: the same cells, links,
labels, ids, error messages and ``aria`` attributes, every value escaped through ``format_html``.
"""


from django import forms
from django.template.defaultfilters import linebreaksbr
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from certportal.dates import dates_in_text, wib
from certportal.escaping import escaped

from .templatetags.audit import audit_action, audit_state

ROW = ('\n    <tr><td class="text-nowrap">{}</td><td>{}</td>\n'
       '      <td><span class="text-muted small">{} #{}</span><br>{}</td>\n'
       '      <td>{} <code class="small text-muted">{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>\n  ')


def rows_html(page) -> SafeString:
    """The page's entries as table rows. Labels (actions, states, object types) and the links on names are worked
    out and escaped once per page: a page shows a few of each, fifty times."""
    only_theirs = _("Only this person’s entries")
    memo = {}

    def once(key, make, *args):
        if key not in memo:
            memo[key] = conditional_escape(make(*args))
        return memo[key]

    def by(entry):
        if entry.actor_id:
            return format_html('<a href="?actor={}" title="{}">{}</a>', entry.actor_id, only_theirs,
                               entry.actor_label)
        return entry.actor_label

    if not page.object_list:
        return format_html('\n    <tr><td colspan="7">{}</td></tr>\n  ', _("No entries match."))
    return mark_safe("".join(ROW.format(*map(escaped, (  # noqa: S308 (every value escaped, as format_html does)
        wib(e.created_at), once(("by", e.actor_id, e.actor_name), by, e),
        once(("type", e.content_type_id), getattr, e.content_type, "name"), e.object_id, e.object_repr,
        once(("action", e.action), audit_action, e.action), e.action,
        once(("state", e.content_type_id, e.from_state), audit_state, e.from_state, e),
        once(("state", e.content_type_id, e.to_state), audit_state, e.to_state, e),
        linebreaksbr(dates_in_text(e.note), autoescape=True) if e.note else ""))) for e in page))


def form_html(form: forms.Form) -> SafeString:
    """The filter form's fields as crispy-forms' Bootstrap 5 pack drew them, one column each; a box that widens a
    search goes under that search's field."""
    columns = []
    for bf in form:
        if isinstance(bf.field.widget, forms.CheckboxInput) and columns:
            columns[-1] += _checkbox_html(bf)
        else:
            columns.append(_field_html(bf))
    return format_html_join("", '<div class="col-sm-6 col-lg">{}</div>', ((column,) for column in columns))


def _checkbox_html(bf: forms.BoundField) -> SafeString:
    attrs = bf.build_widget_attrs({"class": "checkboxinput form-check-input", "id": bf.auto_id})
    return format_html('<div id="div_{}" class="form-check mb-3"><input type="checkbox" name="{}"{}{}>'
                       '<label for="{}" class="form-check-label small">{}</label>{}</div>',
                       bf.auto_id, bf.html_name, _attributes(attrs), mark_safe(" checked") if bf.value() else "",  # noqa: S308
                       bf.id_for_label, bf.label, _errors(bf))


def _field_html(bf: forms.BoundField) -> SafeString:
    widget = bf.field.widget
    select = isinstance(widget, forms.Select)
    attrs = {key: value for key, value in widget.attrs.items() if key != "type"}
    if not bf.is_hidden:
        kind = "form-select" if select else "form-control"
        attrs["class"] = f"{type(widget).__name__.lower()} {kind}{' is-invalid' if bf.errors else ''}"
    attrs = bf.build_widget_attrs(attrs)  # aria-invalid and aria-describedby (the error) as Django gives them
    attrs["id"] = bf.auto_id
    control = _select(bf, attrs) if select else _input(bf, widget, attrs)
    if bf.is_hidden:
        return control
    return format_html('<div id="div_{}" class="mb-3"><label for="{}" class="form-label">{}</label>{}{}</div>',
                       bf.auto_id, bf.id_for_label, bf.label, control, _errors(bf))


def _input(bf: forms.BoundField, widget: forms.widgets.Input, attrs: dict) -> SafeString:
    value = widget.format_value(bf.value())
    shown = format_html(' value="{}"', value) if value is not None else ""
    return format_html('<input type="{}" name="{}"{}{}>', widget.input_type, bf.html_name, shown, _attributes(attrs))


def _select(bf: forms.BoundField, attrs: dict) -> SafeString:
    chosen = str(bf.value() or "")
    options = format_html_join("", '<option value="{}"{}>{}</option>', (
        (value, mark_safe(" selected") if str(value) == chosen else "", label)  # noqa: S308
        for value, label in _choices(bf.field)))
    return format_html('<select name="{}"{}>{}</select>', bf.html_name, _attributes(attrs), options)


def _choices(field: forms.Field):
    if isinstance(field, forms.ModelChoiceField):  # one plain query, not the choice iterator's server-side cursor
        empty = [("", field.empty_label)] if field.empty_label is not None else []
        return [*empty, *((obj.pk, field.label_from_instance(obj)) for obj in field.queryset)]
    return field.choices


def _errors(bf: forms.BoundField) -> SafeString:
    if not bf.errors:
        return ""
    return format_html('<div id="{}_error" class="invalid-feedback">{}</div>', bf.auto_id, format_html_join(
        "", '<p id="error_{}_{}"><strong>{}</strong></p>',
        ((n, bf.auto_id, error) for n, error in enumerate(bf.errors, start=1))))


def _attributes(attrs: dict) -> SafeString:
    """In the widget's order (``flatatt`` sorts them)."""
    return format_html_join("", ' {}="{}"', attrs.items())
