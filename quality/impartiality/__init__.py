"""Impartiality (ISO/IEC 17024 4.3, 5.2): the LSP's impartiality committee, the yearly threat analysis and every
assessor's, reviewer's and decision-maker's yearly declaration of interest and confidentiality.

A person without a current declaration is refused where they would assess, review, sit in a pleno or decide: the
test event asks :mod:`assessments.events.hooks` (``declaration_missing``), which this room answers
(:func:`quality.impartiality.rules.declaration_missing`, registered by :func:`quality.impartiality.wiring.connect`).
"""
