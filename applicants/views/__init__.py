from .applicant import (  # noqa: F401
    apl01_pdf,
    apl02_pdf,
    application_detail,
    document_file_open,
    document_file_remove,
    document_upload,
    my_applications,
    profile_edit,
    scheme_choose,
    step_data,
    step_documents,
    step_self_assessment,
    step_submit,
    withdraw,
)
from .verification import (  # noqa: F401
    verify_accept_remaining,
    verify_check,
    verify_decide,
    verify_document,
    verify_screen,
)
from .verifier import (  # noqa: F401
    agencies,
    digest_switch,
    name_participants,
    queue,
    queue_export,
    unit_recap,
)
