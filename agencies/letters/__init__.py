"""The agency's letters signed in the portal, not scanned (issue 29 item 3).

For a whole cohort at once, the head of the agency (*Kepala PD*) signs the agency's proposal letter, their
recommendation and their statement that the dossiers are authentic, and the *Sekretaris Daerah* signs the province's
recommendation: each by typing their own name (as on the FR.AK records; the time and the client address are
recorded), and with the portal's PAdES signer when one is configured. Each letter is rendered as a PDF in the form
the office uses (the agency's letterhead, number, place and date, the people in its appendix, the signature block)
and attached to every person's dossier as the document of its requirements (seed 001 item 1, numbers 2, 3, 10, 11
and 12: :data:`.rules.REQUIREMENTS`). Withdrawing a letter takes it out of the dossiers and returns them.

- :mod:`.rules`: who signs which letter, which requirements it stands for (pure reads);
- :mod:`.workflow`: the letter's machine (pending → signed → withdrawn) for the workflow core;
- :mod:`.services`: signing, rendering, attaching, withdrawing;
- :mod:`.hooks`: what the applicants app asks (which documents are provided, who may return a dossier).
"""
