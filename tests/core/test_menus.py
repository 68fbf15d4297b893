"""The navigation bar: the LSP admin's twenty pages sit in a few drop-down groups, other roles keep plain links,
and the page being shown is marked in the menu."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def role_menu(page: str) -> str:
    start = page.index('data-testid="role-menu"')
    return page[start:page.index("</ul>\n    </div>", start)]


def test_the_lsp_admin_menu_is_home_and_four_groups_in_working_order(login, lina):
    menu = role_menu(login(lina).get(reverse("home"), follow=True).content.decode())
    groups = re.findall(r'data-menu-group="([a-z]+)"', menu)
    assert groups == ["applications", "assessment", "schemes", "administration"]
    top_level = re.findall(r'<li class="nav-item"><a class="nav-link', menu)
    assert len(top_level) == 1  # only Home stays a plain link
    administration = menu[menu.index('data-menu-group="administration"'):]
    assert "Akun staf" in administration and "Jejak audit" in administration
    assert "Skema dan TUK" in menu and reverse("schemes:manage-test-sites") in menu


def test_the_page_being_shown_is_marked_with_its_group(login, lina):
    menu = role_menu(login(lina).get(reverse("assessments:assessors")).content.decode())
    assessment = menu[menu.index('data-menu-group="assessment"'):menu.index('data-menu-group="schemes"')]
    assert 'dropdown-toggle active' in assessment
    assert f'class="dropdown-item active" href="{reverse("assessments:assessors")}" aria-current="page"' in assessment
    assert menu.count('aria-current="page"') == 1 and menu.count("dropdown-toggle active") == 1


def test_a_role_with_few_pages_keeps_plain_links(login, alice):
    menu = role_menu(login(alice).get(reverse("applicants:mine")).content.decode())
    assert "data-menu-group" not in menu
    assert f'class="nav-link active" href="{reverse("applicants:mine")}" aria-current="page"' in menu
