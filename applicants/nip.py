"""The civil-servant number (NIP, 18 digits) and what it encodes.

    19850314 201001 1 003
    |        |      | `-- serial number (001-999)
    |        |      `---- gender: 1 man, 2 woman
    |        `----------- appointment (TMT CPNS): year and month
    `-------------------- date of birth: yyyymmdd
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from certportal import dates

MIN_APPOINTMENT_AGE = 18  # UU ASN: a candidate civil servant is at least 18 years old
SERVICE_YEARS_TOLERANCE = 1  # a year's slack for how people round their service


def _nip_texts(person: str | None) -> dict[str, str]:
    """The NIP's messages: to the person about their own NIP, or to someone else (an agency officer) about
    ``person``'s, named."""
    if person is None:
        return {
            "length": _("A NIP has exactly 18 digits (you typed %(count)s characters%(extra)s)."),
            "born": _("Digits 1–8 of the NIP (%(part)s) must be your date of birth as year, month, day; that is "
                      "not a real date."),
            "appointed": _("Digits 9–14 of the NIP (%(part)s) must be the year and month of your appointment; "
                           "that is not a real month."),
            "young": _("The NIP says you were appointed in %(appointed)s, when you were %(age)s years old; a civil "
                       "servant is appointed at %(min)s at the earliest. Is the NIP right?"),
        }
    return {
        "length": _("A NIP has exactly 18 digits (the NIP given for %(name)s has %(count)s characters%(extra)s)."),
        "born": _("Digits 1–8 of the NIP (%(part)s) must be %(name)s's date of birth as year, month, day; that is "
                  "not a real date."),
        "appointed": _("Digits 9–14 of the NIP (%(part)s) must be the year and month of %(name)s's appointment; "
                       "that is not a real month."),
        "young": _("The NIP says %(name)s was appointed in %(appointed)s, at %(age)s years old; a civil servant "
                   "is appointed at %(min)s at the earliest. Is the NIP right?"),
    }


def nip_problems(nip: str, *, birth_date: datetime.date | None = None, gender: str | None = None,
                 today: datetime.date | None = None, person: str | None = None) -> list[str]:
    """Every reason ``nip`` is not valid, in plain words (empty list = valid); to the person themselves, or, with
    ``person``, to someone else about that person's NIP."""
    nip, texts = (nip or "").replace(" ", ""), _nip_texts(person)
    if not nip.isdigit() or len(nip) != 18:
        return [texts["length"] % {"count": len(nip), "name": person,
                                   "extra": "" if nip.isdigit() or not nip else _(", not all of them digits")}]
    today = today or datetime.date.today()
    problems = []
    born = _date(nip[0:8])
    if born is None:
        problems.append(texts["born"] % {"part": nip[0:8], "name": person})
    appointed = _date(nip[8:14] + "01")
    if appointed is None:
        problems.append(texts["appointed"] % {"part": nip[8:14], "name": person})
    if born and appointed and not (born < appointed <= today):
        problems.append(_("The appointment month in the NIP (%(appointed)s) must come after the birth date "
                          "(%(born)s) and not be in the future.") % {
            "appointed": dates.month(appointed), "born": dates.day(born)})
    if born and appointed and born < appointed <= today and _age(born, appointed) < MIN_APPOINTMENT_AGE:
        problems.append(texts["young"] % {"appointed": dates.month(appointed), "age": _age(born, appointed),
                                          "min": MIN_APPOINTMENT_AGE, "name": person})
    if nip[14] not in "12":
        problems.append(_("Digit 15 of the NIP is the gender: 1 for a man, 2 for a woman (it is %(digit)s).")
                        % {"digit": nip[14]})
    elif gender and nip[14] != gender:
        problems.append(_("Digit 15 of the NIP (%(digit)s) does not match the gender you chose.")
                        % {"digit": nip[14]})
    if nip[15:] == "000":
        problems.append(_("The last three digits of the NIP (the serial number) cannot be 000."))
    if born and birth_date and born != birth_date:
        problems.append(_("The NIP encodes the birth date %(nip_date)s, but you entered %(entered)s.") % {
            "nip_date": dates.day(born), "entered": dates.day(birth_date)})
    return problems


def _date(yyyymmdd: str) -> datetime.date | None:
    try:
        value = datetime.date(int(yyyymmdd[0:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return None
    return value if value.year >= 1900 else None


def _age(born: datetime.date, on: datetime.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def appointed_on(nip: str) -> datetime.date | None:
    """The first day of the appointment month the NIP encodes (None when it encodes none)."""
    nip = (nip or "").replace(" ", "")
    return _date(nip[8:14] + "01") if len(nip) == 18 and nip.isdigit() else None


def service_years(nip: str, *, today: datetime.date | None = None) -> int | None:
    """Full years of service since the appointment month in the NIP, by ``today`` (None for no such month)."""
    appointed, today = appointed_on(nip), today or datetime.date.today()
    if appointed is None or appointed > today:
        return None
    return _age(appointed, today)


def service_years_problems(nip: str, years_of_service: int, *, today: datetime.date | None = None) -> list[str]:
    """Question years of service that the appointment month in the NIP cannot give (more than a year apart)."""
    since = service_years(nip, today=today)  # full years since the appointment
    if since is None:
        return []
    appointed = appointed_on(nip)
    if abs(years_of_service - since) <= SERVICE_YEARS_TOLERANCE:
        return []
    return [_("The NIP says you were appointed in %(appointed)s, which gives %(since)s full years of service by "
              "now, but you entered %(entered)s. Please check the years of service (or the NIP).") % {
        "appointed": dates.month(appointed), "since": since, "entered": years_of_service}]
