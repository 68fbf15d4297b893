"""The complaints app's inputs to the yearly evaluation of the service standard and SOP (certportal.evaluation):
the year's satisfaction-survey results (seed 003 item 14 point 2: four surveys a year, so per quarter) and the
year's complaint statistics (counts by kind, channel and component, answers within the 14 working days)."""

from django.utils.translation import gettext as _

from . import queries, skm


def skm_results(year: int) -> dict:
    lines = []
    for label, result in queries.skm_quarters(year):
        if result.respondents:
            lines.append(_("%(period)s: %(n)d respondents, index %(index)s (%(grade)s, %(quality)s)") % {
                "period": label, "n": result.respondents, "index": result.index, "grade": result.grade,
                "quality": result.quality})
        else:
            lines.append(_("%(period)s: no respondents") % {"period": label})
    start, end = skm.period_bounds(year, None)
    weakest = [e for e in queries.skm_index(start, end).elements() if e["weakest"]]
    if weakest:
        lines.append(_("Weakest elements: %(list)s") % {
            "list": ", ".join(f"{e['code']} {e['element']} ({e['mean']})" for e in weakest)})
    return {"title": _("Satisfaction survey (SKM) %(year)s") % {"year": year}, "lines": lines}


def complaint_statistics(year: int) -> dict:
    start, end = skm.period_bounds(year, None)
    data = queries.report(start, end)
    lines = [_("%(n)d complaints and suggestions received") % {"n": data["total"]}]
    for field, title in (("kind", _("by kind")), ("channel", _("by channel")), ("component", _("by component")),
                         ("status", _("by status"))):
        if data["by"][field]:
            lines.append(f"{title}: " + ", ".join(f"{label} {n}" for label, n in data["by"][field]))
    lines.append(_("answered: %(a)d; within the 14 working days: %(met)d; late: %(late)d") % {
        "a": data["answered"], "met": data["met"], "late": data["breached"]})
    if data["mean_days"] is not None:
        lines.append(_("mean time to answer: %(d)s days") % {"d": data["mean_days"]})
    return {"title": _("Complaints %(year)s") % {"year": year}, "lines": lines}
