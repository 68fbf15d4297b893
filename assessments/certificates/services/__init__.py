"""Certificates and result letters: issue (data frozen on the row), status, handover, public verification,
and rendering (one document, or a whole event as ONE PDF).

Split by subdomain: :mod:`.issue` (numbering, issue, correction, status changes, handover),
:mod:`.verification` (codes, public data, rate limit, look-ups), :mod:`.rendering` (QR, the two layers, letters,
many documents as one PDF) and :mod:`.printing` (an event's print job). Callers import this package
(``from assessments import certificates as certs``; ``certs.certificate_issue(...)``): the names below are its
API. To replace a function in a test, patch it in the module that calls it (e.g.
``assessments.certificates.services.rendering.certificates_pdf``), not here.
"""

from assessments.certificates.services.issue import (
    add_years,
    certificate_issue,
    certificate_reinstate,
    certificate_replace,
    certificate_suspend,
    certificate_withdraw,
    handover_record,
    result_letter_issue,
    suspend_after_correction,
    suspended_after_correction,
)
from assessments.certificates.services.printing import (
    PrintPlan,
    print_job_fail,
    print_job_render_chunk,
    print_job_retry,
    print_job_run,
    print_job_start,
    print_jobs_sweep,
    print_plan,
    skip_reason,
)
from assessments.certificates.services.rendering import (
    BACKGROUND_CACHE_SIZE,
    CERTIFICATE_BACKGROUND,
    CERTIFICATE_CSS,
    CERTIFICATE_HOLDER,
    background_html,
    backgrounds,
    certificate_context,
    certificate_pdf,
    certificates_pdf,
    letter_pdf,
    merge_pdfs,
    qr_data_uri,
    render_chunk,
    render_many,
    split_contiguous,
)
from assessments.certificates.services.signed import (
    kept_certificate_pdf,
    kept_decision_letter_pdf,
    kept_letter_pdf,
    signed_certificate_pdf,
    signed_decision_letter_pdf,
    signed_letter_pdf,
    signed_report_pdf,
)
from assessments.certificates.services.verification import (
    CODE_ALPHABET,
    new_verification_code,
    public_data,
    rate_limited,
    verification_url,
    verify_lookup,
)

__all__ = [
    "suspend_after_correction", "suspended_after_correction",
    "BACKGROUND_CACHE_SIZE", "CERTIFICATE_BACKGROUND", "CERTIFICATE_CSS", "CERTIFICATE_HOLDER", "CODE_ALPHABET",
    "add_years", "background_html", "backgrounds", "certificate_context", "certificate_issue",
    "certificate_pdf", "certificate_reinstate", "certificate_replace", "certificate_suspend", "certificate_withdraw",
    "certificates_pdf", "handover_record", "letter_pdf", "merge_pdfs", "new_verification_code", "PrintPlan", "print_job_fail",
    "print_job_render_chunk", "print_job_retry", "print_job_run", "print_job_start", "print_jobs_sweep", "print_plan", "skip_reason",
    "render_chunk", "public_data", "qr_data_uri", "rate_limited", "render_many", "result_letter_issue",
    "split_contiguous", "verification_url", "verify_lookup",
    "kept_certificate_pdf", "kept_decision_letter_pdf", "kept_letter_pdf",
    "signed_certificate_pdf", "signed_decision_letter_pdf", "signed_letter_pdf", "signed_report_pdf",
]
