"""Issue 43 item 11: the agency's letters have the agency's address on their letterhead (the Sekretariat Daerah's
on the Sekretaris Daerah's), and hold their layout with every printed field at its longest: no text leaves the page
or crosses another, the electronic signature's box sits in the signature space above the signer's name and inside
the margins (the walk found it past the right margin), no signature block is alone on a page (tests/pdf_layout.py).

Set PAPER_LAYOUT_OUT to a folder to keep the PDFs and look at them (``pdftoppm -png``)."""

import pytest

from agencies.letters import services as letters
from agencies.letters.rules import signing_office
from agencies.models import CohortLetter
from applicants.models import Agency
from certportal.signing.services import document_sign
from tests.assessments.test_paper_layout import code, field_max, keep, text
from tests.pdf_layout import layout_problems, pages, pdf_text

from .conftest import person, propose
from .test_letter_signatures import esign  # noqa: F401 - the fixture: a key per office
from .test_letters import letter_scheme as _letter_scheme
from .test_letters import sign_all

letter_scheme = _letter_scheme
pytestmark = pytest.mark.django_db
ADDRESS = "Jalan Kesehatan Nomor 10, Petojo Selatan, Gambir, Jakarta Pusat 10160"


def signed_pdf(letter: CohortLetter) -> bytes:
    return document_sign(letters.render_letter(letter), kind="agency-letter", object_id=letter.pk, label="uji",
                         reason=f"{letter.get_kind_display()} — {letter.cohort.agency}",
                         office=signing_office(letter.kind, letter.cohort.agency.name)).pdf


def test_the_letterhead_names_the_agencys_address_and_the_secretariats(esign, funded_round, letter_scheme, oki,  # noqa: F811
                                                                       hana, sekar, dinkes):
    Agency.objects.filter(pk=dinkes.pk).update(address=ADDRESS)
    cohort = propose(oki, funded_round, letter_scheme, [person(1)])
    sign_all(cohort, hana, sekar)
    for letter in cohort.letters.all():
        first_page = pdf_text(letters.render_letter(letter))[:300]  # the letterhead
        if letter.kind == "secretary_recommendation":
            assert "SEKRETARIAT DAERAH Jalan Medan Merdeka Selatan Nomor 8-9" in first_page
        else:
            assert f"DINAS KESEHATAN {ADDRESS}" in first_page, letter.kind


def test_every_letter_keeps_its_layout_and_its_signature_box_at_the_longest(esign, funded_round, letter_scheme,  # noqa: F811
                                                                            oki, hana, sekar, dinkes):
    cohort = propose(oki, funded_round, letter_scheme, [person(i) for i in range(1, 4)])
    sign_all(cohort, hana, sekar)
    Agency.objects.filter(pk=dinkes.pk).update(address=text(field_max(Agency, "address")))
    problems = []
    for letter in CohortLetter.objects.filter(cohort=cohort).select_related("cohort__agency"):
        for field in ("place", "signer_position", "signed_name"):
            setattr(letter, field, text(field_max(CohortLetter, field)))
        letter.number, letter.signer_nip = code(field_max(CohortLetter, "number"), "800/2417/Dinkes/"), "1" * 18
        pdf = signed_pdf(letter)
        keep(pdf, f"agency-{letter.kind}")
        problems += layout_problems(pdf, name=letter.kind)
        assert text(field_max(Agency, "address")) in pdf_text(pdf) or letter.kind == "secretary_recommendation"
        laid = pages(pdf)
        signed = [p for p in laid if p.signatures]
        assert len(signed) == 1 and signed[0].number == 1, letter.kind  # on the letter, not on its appendix
        box = signed[0].signatures[0]
        name = next(t for t in signed[0].texts if t.text.strip().startswith("Hana Head")
                    or t.text.strip().startswith("Sekar Sekda"))
        assert box.bottom > name.top, letter.kind  # above the signer's name
    assert problems == [], "\n".join(problems)
