"""Every field that links a row to a person is answered for by some app's "download my data" contribution.

The rule (``certportal.personal_data.person_links``): foreign keys and one-to-ones to the user model, fields that
identify a person by e-mail address, and foreign keys to any model that is exported as someone's data. A new model
that links to a person makes this test fail until an app exports it, lists it as naming staff, or the core
excludes it with a reason."""

from django.apps import apps

from certportal import personal_data


def test_every_link_to_a_person_is_exported_named_or_excluded_with_a_reason():
    declared = personal_data.declared_links()
    missing = sorted(personal_data.person_links() - set(declared))
    assert not missing, (
        "These fields link rows to a person but no app's personal_data contribution declares them "
        f"(exports=/names= in personal_data.register, or EXCLUDED with a reason): {missing}")


def test_the_rule_finds_what_the_issue_names():
    links = personal_data.person_links()
    for expected in ["applicants.Application.applicant", "assessments.Participant.application",
                     "assessments.UnitResult.participant", "assessments.Assessor.user",
                     "assessments.Certificate.participant", "assessments.ResultLetter.participant",
                     "assessments.Handover.application", "assessments.Appeal.participant",
                     "complaints.Complaint.email", "complaints.SurveyInvitation.email",
                     "complaints.SurveyResponse.invitation", "notifications.Notification.user",
                     # many-to-many to a person: a pleno's members (issue 30 item 7), an instrument's validators
                     "assessments.Pleno.members", "assessments.InstrumentValidation.validators"]:
        assert expected in links, expected


def test_every_declaration_names_a_real_field_that_links_to_a_person():
    links = personal_data.person_links()
    for link in personal_data.declared_links():
        app_label, model_name, field_name = link.split(".")
        apps.get_model(app_label, model_name)._meta.get_field(field_name)  # raises when it does not exist
        assert link in links, f"{link} is declared but does not link to a person (stale declaration?)"


def test_every_exclusion_gives_its_reason():
    assert all(len(reason) > 20 for reason in personal_data.EXCLUDED.values())


def test_the_core_imports_no_domain_app():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(personal_data))
    imported = {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert not imported & {"applicants", "assessments", "complaints", "schemes"}
