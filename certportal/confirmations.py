"""The acts that ask first (issue 43): every act that touches more than one record, or cannot be undone, states
what it will touch (counted, where it counts people or dossiers) in a confirmation (``data-confirm`` on its form or
on the button that sends it; static/js/portal.js asks before sending).

An act is named by the URL its form posts to, ``"app:url-name"``, or, where one URL takes several acts, by
``"app:url-name#act"`` (the act's name in ``data-action``); a form posting to its own page is named
``"template:<path>#act"``. ``tests/core/test_confirmations.py`` reads every template: each form of an act in
:data:`CONFIRMED` must ask, and each form whose name says it signs, withdraws, approves, deletes, revokes, rejects,
closes, issues, decides, sends... (:data:`LOOKS_FINAL`) must be either in :data:`CONFIRMED` or in :data:`NOT_FINAL`
with the reason it need not ask. A new act of that kind without a question fails the test.
"""

from __future__ import annotations

import re

LOOKS_FINAL = re.compile(
    r"(?<!as)sign|withdraw|approv|delete|remove|revoke|reject|close|anonymi|dispos|issue|decide|decision|archive|conclude"
    r"|replace|send|escalate|cancel|lock|handover|submit|answer|verified|applied|closed", re.IGNORECASE)

CONFIRMED = frozenset({
    # many records at once: a letter goes into, or leaves, every dossier of the cohort
    "agencies:letter-sign", "agencies:letter-withdraw",
    "agencies:proposal-withdraw",  # the invitation stops and the funded place is freed for good
    "agencies:round-close",  # no agency proposes any more (action button)
    "applicants:file-remove",
    "applicants:verify-decide#verified", "applicants:verify-decide#rejected",
    "assessments:api-token-revoke", "assessments:certificate-handover", "assessments:certificate-replace",
    "assessments:certificate-status", "assessments:decide", "assessments:issue", "assessments:pleno-close",
    "assessments:pleno-decide", "assessments:my-test-submit",
    "assessments:register-import-action#confirmed",  # every certificate of the register, public from then on
    "complaints:close", "complaints:approve-apip", "complaints:escalate", "complaints:answer",
    "outbox:resend-all",  # every failed e-mail at once
    "quality:report-send", "quality:system-action-close", "quality:system-review-conclude",
    "quality:system-version-approve",  # the controlled document's version in force for everyone (action button)
    "quality:threat-analysis-approve",  # the impartiality analysis the committee works by (action button)
    "quality:disposal-approve",  # people's data pseudonymised and files deleted (action button)
})

NOT_FINAL = {
    "agencies:need-remove": "a position's need, added again in one click",
    "applicants:verify-decide#completed": "the verifier may still return or reject the dossier",
    "applicants:verify-decide#returned": "the applicant corrects and resubmits",
    "assessments:bank-keeper-remove": "a keeper of the question bank, assigned again in one click",
    "assessments:event-archive": "writes the archive's PDF package again; nothing changes in the event",
    "accounts:resend-confirmation": "sends the confirmation e-mail again",
    "quality:disposal-propose": "a list proposed for approval: approved (asking first) or cancelled later",
    "quality:disposal-cancel": "the disposal list is proposed again from the retention page",
    "sla:calendar-remove": "a holiday of the calendar, added again in one click",
    "schemes:manage-import-action#applied": (
        "the import's review page is the question: its button says how many qualifications or units it writes"),
    "schemes:manage-import-action#discarded": "the decree is imported again from its file",
    "schemes:manage-import-action#retried": "reads the file again; nothing is applied",
    "assessments:register-import-action#discarded": "the register is uploaded again from its file",
    "assessments:register-import-action#retried": "reads the file again; nothing is imported",
    "template:applicants/templates/applicants/withdraw.html#action": (
        "a page of its own that states the consequence (\"This cannot be undone\") above the button"),
    "template:quality/templates/quality/impartiality/declaration_sign.html#": (
        "the person's own declaration, signed by typing their name on a page of its own"),
}
