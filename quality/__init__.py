"""The LSP's own records, as a BNSP surveillance audit asks for them (issue 30).

Not about one participant but about the certification body itself: impartiality (ISO/IEC 17024 4.3, 5.2), the
management system's internal audits, management reviews, corrective actions and controlled documents (10.2),
the periodic reports to BNSP (PBNSP 05/2013 11) and records retention (17024 7.4, UU 27/2022).

It stands at the top layer beside ``agencies``: it reads the apps below it for its reports and registers its
guards with them (``assessments.events.hooks``) rather than being imported by them.
"""
