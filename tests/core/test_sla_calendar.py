"""The working-day calendar: weekends, national holidays and joint leave, administrator's days, the command."""

from datetime import date

import pytest
from django.core.management import call_command

from certportal.sla import calendar as cal
from certportal.sla import services
from certportal.sla.models import CalendarDay, SeededYear

from .sla_helpers import sla_reference_fixture  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sla_reference")]


def workdays(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("workdays", *[str(a) for a in args], stdout=out)
    return out.getvalue().strip()


def test_migrate_alone_seeds_this_and_next_year_with_joint_leave():
    from django.utils import timezone

    year = timezone.localdate().year
    assert set(SeededYear.objects.values_list("year", flat=True)) >= {year, year + 1}
    assert CalendarDay.objects.filter(date__year=year, kind=CalendarDay.Kind.JOINT_LEAVE).exists()
    assert CalendarDay.objects.filter(date__year=year + 1, kind=CalendarDay.Kind.JOINT_LEAVE).exists()


def test_weekends_are_not_working_days():
    assert cal.add_working_days(date(2026, 11, 20), 1) == date(2026, 11, 23)  # Friday -> Monday
    assert cal.working_days_between(date(2026, 11, 20), date(2026, 11, 23)) == 1


def test_christmas_and_its_joint_leave_and_new_year_across_the_year_end():
    # 2026: 24 Dec joint leave (Thu), 25 Dec Christmas (Fri), 1 Jan 2027 New Year (Fri)
    assert cal.add_working_days(date(2026, 12, 23), 1) == date(2026, 12, 28)
    assert cal.add_working_days(date(2026, 12, 23), 5) == date(2027, 1, 4)
    assert cal.working_days_between(date(2026, 12, 23), date(2027, 1, 4)) == 5
    assert workdays("between", "2026-12-23", "2027-01-04") == "5"


def test_eid_al_fitr_week_with_joint_leave_2026():
    # 18 Mar joint leave, 19 Nyepi, 20 joint leave, 21-22 Eid (weekend), 23-24 joint leave
    assert cal.add_working_days(date(2026, 3, 17), 1) == date(2026, 3, 25)
    assert cal.working_days_between(date(2026, 3, 13), date(2026, 3, 31)) == 7  # 16, 17, 25, 26, 27, 30, 31
    assert workdays("add", "2026-03-17", 3) == "2026-03-27"


def test_a_year_not_seeded_yet_is_seeded_on_first_use_2025_eid_and_christmas():
    SeededYear.objects.filter(year=2025).delete()
    CalendarDay.objects.filter(date__year=2025).delete()
    # Eid al-Fitr 2025: 31 Mar and 1 Apr, joint leave 2, 3, 4 and 7 April
    assert cal.add_working_days(date(2025, 3, 27), 1) == date(2025, 4, 8)  # 28 Mar is Nyepi joint leave
    # Christmas 2025 (Thu) + joint leave 26 Dec, New Year 2026 (Thu)
    assert workdays("add", "2025-12-24", 3) == "2025-12-31"
    assert workdays("add", "2025-12-24", 4) == "2026-01-02"
    assert SeededYear.objects.filter(year=2025).exists()


def test_joint_leave_announced_later_moves_deadlines():
    assert cal.add_working_days(date(2027, 8, 12), 3) == date(2027, 8, 18)  # 17 Aug is Independence Day
    services.calendar_day_add(actor=None, day=date(2027, 8, 16), kind=CalendarDay.Kind.JOINT_LEAVE,
                              name="Cuti bersama HUT RI")
    assert workdays("add", "2027-08-12", 3) == "2027-08-19"


def test_exceptional_working_saturday_and_office_closure():
    services.calendar_day_add(actor=None, day=date(2026, 12, 5), kind=CalendarDay.Kind.WORKING, name="Sabtu kerja")
    assert cal.add_working_days(date(2026, 12, 4), 1) == date(2026, 12, 5)
    services.calendar_day_add(actor=None, day=date(2026, 12, 7), kind=CalendarDay.Kind.CLOSURE, name="Kantor tutup")
    assert cal.working_days_between(date(2026, 12, 4), date(2026, 12, 8)) == 2  # Sat 5 + Tue 8


def test_removing_a_seeded_day_sticks():
    day = CalendarDay.objects.get(date=date(2026, 12, 24))
    services.calendar_day_remove(actor=None, entry=day)
    cal.ensure_years([2026])
    assert cal.add_working_days(date(2026, 12, 23), 1) == date(2026, 12, 24)


def test_working_week_can_change():
    services.workweek_update(actor=None, weekdays=[0, 1, 2, 3, 4, 5])
    assert cal.add_working_days(date(2026, 11, 20), 1) == date(2026, 11, 21)


def test_command_adds_zero_days_and_rejects_bad_dates():
    assert workdays("add", "2026-11-20", 0) == "2026-11-20"
    assert workdays("between", "2026-11-23", "2026-11-20") == "0"
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="ISO"):
        workdays("add", "20-11-2026", 1)


def test_working_days_between_counts_as_walking_day_by_day():
    """``between`` counts whole weeks by arithmetic and then the calendar's exceptions: the same count as a walk
    over every day, for any work week, days off, working days (a day both off and on is a working day) and span."""
    from datetime import timedelta

    from hypothesis import given, settings
    from hypothesis import strategies as st

    first = date(2026, 1, 1)
    some_days = st.sets(st.integers(0, 400).map(lambda n: first + timedelta(days=n)), max_size=40)

    @settings(max_examples=300, deadline=None)
    @given(weekdays=st.frozensets(st.integers(0, 6)), off=some_days, on=some_days,
           start=st.integers(-20, 420), length=st.integers(-10, 900))
    def check(weekdays, off, on, start, length):
        calendar = cal.WorkCalendar(first, first + timedelta(days=400), weekdays, set(off), set(on))
        begin = first + timedelta(days=start)
        end = begin + timedelta(days=length)
        walked = sum(calendar.is_working(begin + timedelta(days=i)) for i in range(1, length + 1))
        assert calendar.between(begin, end) == walked

    check()
