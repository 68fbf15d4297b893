"""The LSP's own records, as a BNSP surveillance audit asks for them (issue 30).

Not about one participant but about the certification body itself, in rooms (packages) by capability:
``impartiality`` (ISO/IEC 17024 4.3, 5.2: the committee, threat analyses, declarations of interest),
``system`` (10.2: internal audits, management reviews, corrective actions, controlled documents),
``reports`` (PBNSP 05/2013 11: the periodic reports to BNSP) and ``retention`` (17024 7.4, UU 27/2022).

The app stands at the top layer beside ``agencies``: it reads the apps below it for its reports and registers its
guards with them (``assessments.events.hooks``) rather than being imported by them. URL names stay in the one
namespace ``quality``; templates live under ``quality/templates/quality/<room>/``.
"""
