from tests.assessments.conftest import alice_app, assessor, bob_app, event, scheme, site  # noqa: F401
