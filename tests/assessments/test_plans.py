"""Issue 19, the assessment plan (FR.MAPA.01/02) of a scheme: an assessor in scope makes a draft and edits its
approach and its evidence rows, a second assessor validates it (never its maker, never an incomplete plan), which
freezes it and supersedes the plan before it, while events keep the plan they were planned with. The LSP admin
chooses the scheme's instruments. Pages per role, and the two forms read back from their PDFs."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from assessments import services
from assessments.events.models import Event
from assessments.instruments.models import AssessmentPlan, PlanEvidence, SchemeInstrument
from assessments.instruments.models.plans import CandidateGroup, EvidenceType, Instrument
from assessments.instruments.paperwork.plans import render_mapa01, render_mapa02
from certportal.accounts.models import Role
from certportal.audit.models import AuditEntry
from schemes.models import Unit
from tests.conftest import client_for
from tests.factories import UserFactory

from .factories import make_assessor, planned_event, scheme_with_units
from .test_certificate_layout import keep, pdftotext


@pytest.fixture
def draft(scheme, asa, assessor):
    return services.plan_create(scheme, actor=asa)


@pytest.fixture
def outsider(db):
    """An active assessor whose scope is another scheme."""
    user = UserFactory(full_name="Otto Outsider", email="otto@example.go.id", roles=[Role.ASSESSOR])
    make_assessor(user, schemes=[scheme_with_units(1)])
    return user


class _FormReader(HTMLParser):
    """What a browser would submit from one form: inputs, checked boxes, selected options, textareas."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.data = form_id, False, []
        self._select = self._textarea = None
        self._first_option = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "button"):
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self.data.append((a["name"], a.get("value", "on")))
            else:
                self.data.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select, self._first_option = a["name"], None
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = a.get("value", "")
            if "selected" in a:
                self.data.append((self._select, a.get("value", "")))
                self._select = "__done__"
        elif tag == "textarea":
            self._textarea = [a["name"], ""]

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select:
            if self._select != "__done__":
                self.data.append((self._select, self._first_option or ""))
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.data.append(tuple(self._textarea))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data


def form_of(html: str, form_id: str) -> dict:
    import html as html_lib

    reader = _FormReader(form_id)
    reader.feed(html)
    return {name: html_lib.unescape(value) if isinstance(value, str) else value for name, value in reader.data}


def _rows(plan, unit_id=None, group=None) -> list[PlanEvidence]:
    qs = PlanEvidence.objects.filter(plan=plan)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if group:
        qs = qs.filter(group=group)
    return list(qs.order_by("unit_id", "group", "position"))


def _as_rows(plan) -> list:
    return [services.PlanRow(r.unit_id, r.group, r.instrument, r.evidence_type, r.evidence) for r in _rows(plan)]


# --- the services ---------------------------------------------------------------------------------------------

def test_a_second_assessor_validates_and_the_plan_is_frozen_as_printed(draft, scheme, other_assessor_user):
    plan = services.plan_validate(draft, actor=other_assessor_user)
    assert plan.status == AssessmentPlan.Status.VALIDATED and plan.validated_by == other_assessor_user
    snap = plan.snapshot
    assert len(snap["rows"]) == 3 * 4 and snap["validated_by"] == "Oscar Other Assessor"
    assert snap["made_by_reg"].startswith("MET.") and snap["validated_by_reg"].startswith("MET.")
    # later changes to the scheme's units do not change what the validated plan prints
    unit = scheme.scheme_units.order_by("position").first().unit
    old_title = unit.title
    Unit.objects.filter(pk=unit.pk).update(title="Judul Yang Diubah Kemudian")
    text = pdftotext(render_mapa01(plan))
    assert old_title in text and "Judul Yang Diubah Kemudian" not in text
    with pytest.raises(services.AssessmentError, match="never changed"):
        services.plan_set_rows(plan, actor=plan.made_by, rows=[])


def test_the_maker_cannot_validate_and_sees_why(draft, asa):
    with pytest.raises(services.AssessmentError, match="second assessor"):
        services.plan_validate(draft, actor=asa)
    page = client_for(asa).get(reverse("assessments:plan", args=[draft.pk])).content.decode()
    assert 'data-refused="assessments.assessmentplan.validated"' in page
    assert "Anda yang membuat rencana ini: asesor kedua yang memvalidasinya." in page
    assert 'data-action="assessments.assessmentplan.validated"' not in page


def test_an_incomplete_plan_is_refused_naming_the_unit(draft, scheme, asa, other_assessor_user):
    last = scheme.scheme_units.order_by("position").last().unit
    rows = [r for r in _as_rows(draft) if not (r.unit_id == last.pk and r.group == CandidateGroup.TRAINING_STD)]
    services.plan_set_rows(draft, actor=asa, rows=rows)
    with pytest.raises(services.AssessmentError, match=last.code.replace(".", r"\.")):
        services.plan_validate(draft, actor=other_assessor_user)
    draft.refresh_from_db()
    assert draft.status == AssessmentPlan.Status.DRAFT and not draft.snapshot
    page = client_for(other_assessor_user).get(reverse("assessments:plan", args=[draft.pk])).content.decode()
    assert f"Unit {last.code} belum memiliki bukti yang direncanakan" in page


def test_a_newer_plan_supersedes_the_old_one_and_events_keep_theirs(draft, scheme, asa, other_assessor_user,
                                                                    lina, login):
    unplanned = planned_event(actor=lina, scheme=scheme, plan=False)
    v1 = services.plan_validate(draft, actor=other_assessor_user)
    kept = planned_event(actor=lina, scheme=scheme)
    v2 = services.plan_validate(services.plan_create(scheme, actor=asa), actor=other_assessor_user)
    v1.refresh_from_db()
    assert v1.status == AssessmentPlan.Status.SUPERSEDED and v1.superseded_at
    assert v2.status == AssessmentPlan.Status.VALIDATED and v2.number == 2
    assert Event.objects.get(pk=kept.pk).plan_id == v1.pk and Event.objects.get(pk=unplanned.pk).plan_id is None
    assert _as_rows(v2) == _as_rows(v1)  # the new draft started as a copy of the plan in force
    page = login(lina).get(reverse("assessments:event", args=[kept.pk])).content.decode()
    assert "Rencana versi 1" in page and reverse("assessments:plan", args=[v1.pk]) in page
    assert "rencana yang lebih baru sudah berlaku" in page
    page = login(lina).get(reverse("assessments:event", args=[unplanned.pk])).content.decode()
    assert 'id="event-no-plan"' in page and "sampai Admin LSP menetapkannya" in page
    assert 'id="plan-adopt"' in page  # the plan in force (v2) is the LSP admin's to adopt


def test_hostile_rows_are_refused_and_nothing_is_lost(draft, asa):
    before = _as_rows(draft)
    other_unit = scheme_with_units(1).scheme_units.get().unit
    first = before[0]
    cases = [
        ([*before, services.PlanRow(other_unit.pk, first.group, "IA.11", "L", "x")], "not in the scheme"),
        ([*before[1:], services.PlanRow(first.unit_id, first.group, Instrument.IA05, "L", "x")], "FR.IA.05"),
        ([services.PlanRow(first.unit_id, first.group, first.instrument, "L", "x" * 5001), *before[1:]],
         "at most 5000"),
        ([*before, before[0]], "planned twice"),
        ([services.PlanRow(first.unit_id, "everyone", first.instrument, "L", "x"), *before[1:]], "candidate group"),
        ([services.PlanRow(first.unit_id, first.group, first.instrument, "L", "   "), *before[1:]], "Describe"),
    ]
    for rows, message in cases:
        with pytest.raises(services.AssessmentError, match=message):
            services.plan_set_rows(draft, actor=asa, rows=rows)
    with pytest.raises(services.AssessmentError, match="at most 5000"):
        services.plan_edit(draft, actor=asa, context="y" * 5001)
    assert _as_rows(draft) == before


def test_only_the_maker_edits_a_draft(draft, other_assessor_user):
    with pytest.raises(services.AssessmentError, match="Only the assessor who made"):
        services.plan_edit(draft, actor=other_assessor_user, context="changed")


# --- the pages, per role --------------------------------------------------------------------------------------

def test_who_reads_the_plans(draft, scheme, asa, outsider, lina, quinn, alice, tono, client):
    plans, scheme_page = reverse("assessments:plans"), reverse("assessments:scheme-plans", args=[scheme.pk])
    plan_page, pdf = reverse("assessments:plan", args=[draft.pk]), reverse("assessments:plan-mapa01", args=[draft.pk])
    for reader in (asa, lina, quinn):
        c = client_for(reader)
        listing = c.get(plans).content.decode()
        assert scheme.code in listing and "konsep versi 1" in listing
        assert 'href="/asesmen/rencana/"' in listing  # the menu
        assert c.get(scheme_page).status_code == 200 and c.get(plan_page).status_code == 200
        assert c.get(pdf).status_code == 200
    c = client_for(outsider)
    assert scheme.code not in c.get(plans).content.decode()
    for url in (scheme_page, plan_page, pdf, reverse("assessments:plan-mapa02", args=[draft.pk])):
        assert c.get(url).status_code == 403
    for other in (alice, tono):
        assert client_for(other).get(plans).status_code == 403
        assert client_for(other).get(plan_page).status_code == 403
    for url in (plans, plan_page, pdf):
        response = client.get(url)
        assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


def test_an_assessor_in_scope_makes_a_draft_and_others_cannot(scheme, asa, assessor, outsider, lina, client):
    create = reverse("assessments:plan-create", args=[scheme.pk])
    assert client_for(lina).post(create).status_code == 403
    assert client_for(outsider).post(create).status_code == 403
    assert client.post(create).status_code == 302 and not AssessmentPlan.objects.exists()
    assert client_for(asa).get(create).status_code == 405
    page = client_for(asa).get(reverse("assessments:scheme-plans", args=[scheme.pk])).content.decode()
    assert 'id="no-plan-in-force"' in page and "aturan bawaan (seed 000)" in page
    response = client_for(asa).post(create)
    plan = AssessmentPlan.objects.get()
    assert response["Location"] == reverse("assessments:plan-edit", args=[plan.pk])
    assert plan.made_by == asa and len(_rows(plan)) == 3 * 4
    assert AuditEntry.objects.filter(action="assessments.assessmentplan.created", object_id=str(plan.pk)).exists()


def test_the_maker_edits_the_approach_and_the_rows_on_the_page(draft, scheme, asa):
    c = client_for(asa)
    url = reverse("assessments:plan-edit", args=[draft.pk])
    page = c.get(url).content.decode()
    # an empty row for each of BNSP's five candidate potentials in each unit
    assert page.count('class="card mb-3 plan-unit"') == 3 and page.count("new-row") == 3 * len(CandidateGroup)
    data = form_of(page, "plan-form")
    first_unit = scheme.scheme_units.order_by("position").first().unit
    # change the context, remove unit 1's IA.08 (experienced worker), add IA.07 to unit 1 (experienced worker)
    data["context"] = "TUK tempat kerja; observasi di ruang layanan"
    ia08 = next(k.split("-")[1] for k, v in data.items()
                if k.endswith("-instrument") and v == "IA.08" and data[k.replace("instrument", "unit")] == str(first_unit.pk))
    data[f"row-{ia08}-remove"] = "on"
    slot = next(k.split("-")[1] for k, v in data.items()
                if k.endswith("-instrument") and v == "" and data[k.replace("instrument", "unit")] == str(first_unit.pk)
                and data[k.replace("instrument", "group")] == CandidateGroup.WORKER_STD)
    data |= {f"row-{slot}-instrument": "IA.07", f"row-{slot}-evidence_type": "T",
             f"row-{slot}-evidence": "Jawaban pertanyaan lisan <b>tentang pengalaman</b>"}
    response = c.post(url, data | {"more": "1"})
    assert response.status_code == 302 and response["Location"] == url
    draft.refresh_from_db()
    assert draft.context == "TUK tempat kerja; observasi di ruang layanan"
    rows = {(r.instrument, r.evidence_type) for r in _rows(draft, first_unit.pk, CandidateGroup.WORKER_STD)}
    assert rows == {("IA.09", "T"), ("IA.07", "T")}
    page = c.get(reverse("assessments:plan", args=[draft.pk])).content.decode()
    assert "Jawaban pertanyaan lisan &lt;b&gt;tentang pengalaman&lt;/b&gt;" in page
    assert "TUK tempat kerja; observasi di ruang layanan" in page


def test_a_refused_save_keeps_what_was_typed(draft, scheme, asa):
    c = client_for(asa)
    url = reverse("assessments:plan-edit", args=[draft.pk])
    data = form_of(c.get(url).content.decode(), "plan-form")
    before = _as_rows(draft)
    data |= {"context": "Konteks yang diketik", "row-0-unit": "999999"}  # a forged unit
    response = c.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200 and "Sebuah baris menyebut unit yang tidak ada dalam skema." in page
    assert "Konteks yang diketik" in page
    data["row-0-unit"] = str(before[0].unit_id)
    data["row-1-instrument"] = ""  # half a row: no instrument, evidence kept
    page = c.post(url, data).content.decode()
    assert "Sebuah baris memerlukan instrumen dan buktinya" in page
    data |= {"row-TOTAL_FORMS": "100000"}  # a forged formset size
    response = c.post(url, data)
    assert response.status_code == 200 and 'id="plan-form"' in response.content.decode()
    draft.refresh_from_db()
    assert _as_rows(draft) == before and draft.context != "Konteks yang diketik"


def test_a_second_assessor_validates_on_the_page_and_a_second_submit_is_refused(draft, asa, other_assessor_user,
                                                                                 outsider):
    c = client_for(other_assessor_user)
    plan_url = reverse("assessments:plan", args=[draft.pk])
    page = c.get(plan_url).content.decode()
    assert 'data-action="assessments.assessmentplan.validated"' in page
    # another assessor in scope may not edit it
    response = c.get(reverse("assessments:plan-edit", args=[draft.pk]))
    assert response.status_code == 302 and response["Location"] == plan_url
    validate = reverse("assessments:plan-validate", args=[draft.pk])
    assert client_for(outsider).post(validate).status_code == 403
    page = c.post(validate, follow=True).content.decode()
    assert "Rencana divalidasi dan berlaku" in page and 'id="plan-status"' in page and "Divalidasi: berlaku" in page
    page = c.post(validate, follow=True).content.decode()
    assert "tidak dapat dilakukan sekarang" in page
    assert AuditEntry.objects.filter(action="assessments.assessmentplan.validated").count() == 1
    assert client_for(asa).get(reverse("assessments:plan-edit", args=[draft.pk])).status_code == 302


# --- the scheme's instruments ---------------------------------------------------------------------------------

def test_the_lsp_admin_chooses_the_schemes_instruments(scheme, lina, asa, draft):
    url = reverse("assessments:scheme-instruments", args=[scheme.pk])
    assert client_for(asa).get(url).status_code == 403
    c = client_for(lina)
    page = c.get(url).content.decode()
    assert page.count('type="checkbox"') == len(Instrument) and page.count("checked") == 4
    response = c.post(url, {})
    assert response.status_code == 200
    assert "Pilih sekurang-kurangnya satu instrumen." in response.content.decode()
    assert not SchemeInstrument.objects.exists()
    assert c.post(url, {"instruments": ["IA.99"]}).status_code == 200 and not SchemeInstrument.objects.exists()
    response = c.post(url, {"instruments": ["IA.05", "IA.01", "IA.08", "IA.09", "IA.07"]})
    assert response.status_code == 302
    assert services.scheme_instruments(scheme) == ["IA.01", "IA.05", "IA.07", "IA.08", "IA.09"]
    assert AuditEntry.objects.filter(action="assessments.scheme.instruments_set").exists()
    # the maker can now plan the multiple-choice test
    rows = [*_as_rows(draft), services.PlanRow(draft.evidence.first().unit_id, CandidateGroup.TRAINING_STD,
                                               "IA.05", EvidenceType.SUPPLEMENTARY, "Jawaban tes tertulis")]
    services.plan_set_rows(draft, actor=asa, rows=rows)
    edit = client_for(asa).get(reverse("assessments:plan-edit", args=[draft.pk])).content.decode()
    assert "FR.IA.05" in edit


# --- the PDFs -------------------------------------------------------------------------------------------------

def test_fr_mapa_01_prints_the_approach_and_the_evidence_per_unit(draft, scheme, asa, other_assessor_user):
    pdf = render_mapa01(draft)
    keep(pdf, "fr-mapa-01-draft.pdf")
    text = pdftotext(pdf)
    assert "FR.MAPA.01 · Versi 1" in text and "KONSEP" in text and "MERENCANAKAN AKTIVITAS DAN PROSES ASESMEN" in text
    plan = services.plan_validate(draft, actor=other_assessor_user)
    pdf = render_mapa01(plan)
    keep(pdf, "fr-mapa-01.pdf")
    text = pdftotext(pdf)
    assert "KONSEP" not in text and scheme.code in text and "Oscar Other Assessor" in text and "Asa Assessor" in text
    for su in scheme.scheme_units.select_related("unit"):
        assert su.unit.code in text
    assert "Portofolio: dokumen bukti kerja" in text and "FR.IA.08" in text and " VP " in text and " CL " in text
    # the potentials the plan provides for, in BNSP's words (seed 000's two: experienced workers, trained graduates)
    assert "Pekerja berpengalaman" in text and "Hasil pelatihan dan/atau pendidikan" in text
    assert "otodidak" not in text  # no row planned for the self-taught: not listed
    response = client_for(asa).get(reverse("assessments:plan-mapa01", args=[plan.pk]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def test_fr_mapa_02_maps_units_to_instruments_by_group(draft, scheme, other_assessor_user):
    text = pdftotext(render_mapa02(draft))
    assert "FR.MAPA.02 · Versi 1" in text and "KONSEP" in text
    plan = services.plan_validate(draft, actor=other_assessor_user)
    pdf = render_mapa02(plan)
    keep(pdf, "fr-mapa-02.pdf")
    text = pdftotext(pdf)
    assert "PETA INSTRUMEN ASESMEN" in text and "KONSEP" not in text
    for code in Instrument.values:
        assert f"FR.{code}" in text
    for su in scheme.scheme_units.select_related("unit"):
        line = next(line for line in text.splitlines() if su.unit.code in line)
        assert line.split().count("3") >= 2 and line.split().count("1") >= 2  # IA.08, IA.09 | IA.01, IA.07


def test_fr_mapa_02_names_bnsps_five_candidate_potentials(draft, scheme, asa, other_assessor_user):
    """Issue 30 item 7: FR.MAPA.02 distinguishes BNSP's five potentials, not only experienced or not; a row planned
    for the self-taught (5) is marked with its number, and the plan keeps it."""
    from assessments.instruments.models.plans import CandidateGroup

    unit = scheme.scheme_units.order_by("position").first().unit
    rows = [*_as_rows(draft), services.PlanRow(unit.pk, CandidateGroup.SELF_TAUGHT, "IA.01", "L", "Observasi demonstrasi")]
    services.plan_set_rows(draft, actor=asa, rows=rows)
    plan = services.plan_validate(draft, actor=other_assessor_user)
    text = " ".join(pdftotext(render_mapa02(plan)).split())
    # the legend numbers BNSP's five (the long names wrap beside the instruments' legend: their openings and
    # distinctive words are read)
    for n, opening in enumerate(["Hasil pelatihan", "Hasil pelatihan", "Pekerja berpengalaman", "Pekerja berpengalaman",
                                 "Pelatihan/belajar mandiri"], start=1):
        assert f"{n}. {opening}" in text
    for words in ("fasilitas praktek", "kurikulum belum", "operasionalnya", "otodidak"):
        assert words in text
    line = next(line for line in pdftotext(render_mapa02(plan)).splitlines() if unit.code in line)
    assert "5" in line.split()
    assert "otodidak" in " ".join(pdftotext(render_mapa01(plan)).split())


def test_plans_made_with_the_two_old_groups_move_to_bnsps_potentials_and_back(draft, other_assessor_user):
    """Migration 0021: "experienced" becomes the experienced worker (3), "inexperienced" the trained graduate (1), in
    the rows and in a validated plan's frozen snapshot; the reverse brings them back."""
    import importlib

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from assessments.instruments.models import AssessmentPlan, PlanEvidence

    plan = services.plan_validate(draft, actor=other_assessor_user)
    old = {"worker_std": "experienced", "training_std": "inexperienced"}
    for new, was in old.items():
        PlanEvidence.objects.filter(plan=plan, group=new).update(group=was)
    snapshot = plan.snapshot
    for r in snapshot["rows"]:
        r["group"] = old[r["group"]]
    AssessmentPlan.objects.filter(pk=plan.pk).update(snapshot=snapshot)
    migration = importlib.import_module("assessments.migrations.0021_loose_candidate_potentials")
    apps = MigrationExecutor(connection).loader.project_state(("assessments", "0021_loose_candidate_potentials")).apps
    migration.forward(apps, None)
    assert set(PlanEvidence.objects.filter(plan=plan).values_list("group", flat=True)) == {"worker_std", "training_std"}
    plan.refresh_from_db()
    assert {r["group"] for r in plan.snapshot["rows"]} == {"worker_std", "training_std"}
    text = " ".join(pdftotext(render_mapa01(plan)).split())
    assert "Pekerja berpengalaman" in text and "Portofolio: dokumen bukti kerja" in text
    migration.backward(apps, None)
    assert set(PlanEvidence.objects.filter(plan=plan).values_list("group", flat=True)) == {"experienced", "inexperienced"}
