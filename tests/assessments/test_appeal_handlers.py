"""Who handles appeals: the LSP admin and quality reviewers (ISO/IEC 17024 9.8: people not involved in the decision),
never the Kepala TUK, who ran the test. The home page, the menu and the list say the same: every role offered the
appeals tile or menu item opens the list; a role not offered it is refused it."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.events.models import Appeal, Event, Participant
from certportal import menus
from certportal.accounts.models import Role

from .factories import make_application

pytestmark = pytest.mark.django_db

APPEALS = reverse("assessments:appeals")


@pytest.fixture
def filed_appeal(scheme, site):
    event = Event.objects.create(scheme=scheme, test_site=site, starts_at=timezone.now())
    p = Participant.objects.create(event=event, application=make_application(scheme), decision="BK")
    return Appeal.objects.create(participant=p, grounds="Bukti portofolio saya belum dipertimbangkan")


def offered_appeals(client, home: str) -> bool:
    page = client.get(home).content.decode()
    return bool(re.search(rf'href="{re.escape(APPEALS)}"', page))


@pytest.mark.parametrize("who,role,handles", [("lina", Role.LSP_ADMIN, True), ("quinn", Role.QUALITY, True),
                                              ("tono", Role.TUK_HEAD, False)])
def test_home_menu_and_list_agree_on_who_decides_appeals(request, login, filed_appeal, who, role, handles):
    client = login(request.getfixturevalue(who))
    home = menus.home_url_for(role)
    assert offered_appeals(client, home) is handles
    assert ("assessments:appeals" in [item.url_name for item in menus.menu_for(role)]) is handles
    assert client.get(APPEALS).status_code == (200 if handles else 403)
    if handles:
        assert "Bukti portofolio" in client.get(reverse("assessments:appeal", args=[filed_appeal.pk])).content.decode()
