"""The packaging-rule engine: does a set of held units meet a KKNI qualification, and if not, why not?

A qualification is met when every listed core unit is held, at least ``elective_required`` listed elective units
are held, and every counted unit's prerequisites are held too. Rules decided here (DOMAIN.md left them open):

* **Versions** (see :mod:`schemes.codes`): a requirement for unit number U at version v is met by holding U at
  version v or newer. Holding an older version does not count; it is reported under ``outdated``.
* A unit listed both as core and as elective (sections K and N of Kepmenaker 3/2021) counts once, as core.
* Prerequisites may name units the qualification does not list (section C's N.78SPS02.023.1 requires
  N.78SPS02.084.2): they must still be held; holding them is not "outside the qualification" for a scheme.
* Held units the qualification does not list are reported but do not by themselves make the rule unmet for a
  person; a *scheme* built on the qualification is refused if it contains any that is not a prerequisite.
* Suggestions (the fewest further units): missing core units and missing prerequisites first (unavoidable), then
  electives picked one at a time by the fewest new units each brings with its own prerequisites, recomputed after
  each pick. This is exact when electives do not share prerequisites, and a close greedy bound when they do.

The engine works on plain data (:class:`Rule`), so it can be tested without a database.
"""

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext as _

from .codes import UnitCode, normalise, parse_code, satisfies


@dataclass(frozen=True)
class Listing:
    code: str
    title: str
    kind: str  # "core" | "elective"
    prerequisites: tuple[str, ...] = ()

    @property
    def parsed(self) -> UnitCode | None:
        return parse_code(self.code)


@dataclass
class Rule:
    name: str  # "3/2021-C"
    title: str
    core_required: int
    elective_required: int
    core: list[Listing] = field(default_factory=list)  # unique by unit number, document order
    elective: list[Listing] = field(default_factory=list)  # unique, excluding units also listed as core

    @classmethod
    def build(cls, *, name: str, title: str, core_required: int, elective_required: int,
              listings: Iterable[Listing]) -> "Rule":
        rule = cls(name, title, core_required, elective_required)
        seen: dict = {}
        for listing in sorted(listings, key=lambda x: x.kind != "core"):  # stable: core first, in order
            key = listing.parsed.key if listing.parsed else listing.code
            if key in seen:  # listed twice: counts once, prerequisites merged
                prev = seen[key]
                merged = tuple(dict.fromkeys(prev.prerequisites + listing.prerequisites))
                new = Listing(prev.code, prev.title, prev.kind, merged)
                target = rule.core if prev.kind == "core" else rule.elective
                target[target.index(prev)] = new
                seen[key] = new
                continue
            seen[key] = listing
            (rule.core if listing.kind == "core" else rule.elective).append(listing)
        return rule

    @property
    def listings(self) -> list[Listing]:
        return self.core + self.elective

    def listing_for(self, code: UnitCode) -> Listing | None:
        return next((x for x in self.listings if x.parsed and x.parsed.key == code.key), None)

    def outside_prerequisites(self) -> list[dict]:
        """Prerequisites the qualification does not list (3/2021-C: N.78SPS02.023.1 requires N.78SPS02.084.2).

        They must be held for the rule to be met, so the checker offers them to tick: ``{"code", "required_by"}``,
        in document order, each code once."""
        found: dict[str, list[str]] = {}
        for x in self.listings:
            for p in x.prerequisites:
                parsed = parse_code(p)
                if parsed and self.listing_for(parsed) is None:
                    found.setdefault(normalise(p), []).append(x.code)
        return [{"code": code, "required_by": by} for code, by in found.items()]


@dataclass
class Verdict:
    qualification: str
    met: bool
    core_missing: list[str]
    electives_held: int
    electives_required: int
    prerequisites_missing: list[dict]
    not_in_qualification: list[str]
    outdated: list[dict]
    suggested_units: list[str]
    invalid_codes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def rule_for(qualification) -> Rule:
    """Build the rule of a :class:`schemes.models.Qualification` (listings prefetched if you loop)."""
    listings = [Listing(x.code_as_printed, x.title_as_printed, x.kind, tuple(x.prerequisites or ()))
                for x in sorted(qualification.listings.all(), key=lambda x: (x.kind != "core", x.position))]
    return Rule.build(name=qualification_name(qualification), title=qualification.title,
                      core_required=qualification.core_required,
                      elective_required=qualification.elective_required, listings=listings)


def qualification_name(qualification) -> str:
    return f"{qualification.decree.number}/{qualification.decree.year}-{qualification.letter}"


def _holds(held: list[UnitCode], code: str) -> bool:
    required = parse_code(code)
    return bool(required) and any(satisfies(h, required) for h in held)


def evaluate(rule: Rule, held_codes: Iterable[str]) -> Verdict:
    invalid = [c for c in held_codes if parse_code(c) is None]
    held = [p for p in (parse_code(c) for c in held_codes) if p]
    printed = {parse_code(c): normalise(c) for c in held_codes if parse_code(c)}
    core_missing = [x.code for x in rule.core if not _holds(held, x.code)]
    electives = [x for x in rule.elective if _holds(held, x.code)]
    counted = [x for x in rule.listings if _holds(held, x.code)]
    prereq_missing = [{"unit": x.code, "requires": p} for x in counted for p in x.prerequisites
                      if not _holds(held, p)]
    outside, outdated = [], []
    prereq_codes = [parse_code(p) for x in counted for p in x.prerequisites]
    for h in held:
        listing = rule.listing_for(h)
        if listing is None:
            if not any(p and p.key == h.key for p in prereq_codes):
                outside.append(printed[h])
        elif not satisfies(h, listing.parsed):
            outdated.append({"unit": printed[h], "requires": listing.code})
    met = not core_missing and len(electives) >= rule.elective_required and not prereq_missing
    verdict = Verdict(rule.name, met, core_missing, len(electives), rule.elective_required, prereq_missing,
                      outside, outdated, [], invalid)
    if not met:
        verdict.suggested_units = suggest(rule, held_codes)
    return verdict


def _closure(rule: Rule, code: str, have: list[UnitCode], adding: list[str]) -> list[str]:
    """``code`` plus, recursively, its prerequisites not yet held or being added."""
    out: list[str] = []
    stack = [code]
    while stack:
        c = stack.pop(0)
        parsed = parse_code(c)
        listing = rule.listing_for(parsed) if parsed else None
        if listing and parsed and satisfies(listing.parsed, parsed):
            c = listing.code  # suggest the version the qualification lists: it also meets the older requirement
        current = have + [parse_code(x) for x in adding + out]
        if _holds(current, c) or c in out:
            continue
        out.append(c)
        if listing and c == listing.code:
            stack.extend(listing.prerequisites)
    return out


def suggest(rule: Rule, held_codes: Iterable[str]) -> list[str]:
    """The fewest further units (see the module docstring) that would complete the qualification."""
    have = [p for p in (parse_code(c) for c in held_codes) if p]
    adding: list[str] = []
    for x in rule.core:
        adding += _closure(rule, x.code, have, adding)
    for x in rule.listings:
        if _holds(have + [parse_code(a) for a in adding], x.code):
            for p in x.prerequisites:
                adding += _closure(rule, p, have, adding)
    while True:
        current = have + [parse_code(a) for a in adding]
        count = sum(1 for x in rule.elective if _holds(current, x.code))
        if count >= rule.elective_required:
            return adding
        options = [_closure(rule, x.code, have, adding) for x in rule.elective if not _holds(current, x.code)]
        if not options:
            return adding
        adding += min(options, key=len)


def qualifications_met(rules: Iterable[Rule], held_codes: Iterable[str]) -> list[str]:
    """Names of the qualifications whose rule the held units meet."""
    held_codes = list(held_codes)
    return [r.name for r in rules if evaluate(r, held_codes).met]


def explain(verdict: Verdict) -> list[str]:
    """The verdict in plain, translated sentences (for pages and for refusing a scheme)."""
    lines = []
    if verdict.core_missing:
        lines.append(_("Core units missing: %(units)s.") % {"units": ", ".join(verdict.core_missing)})
    if verdict.electives_held < verdict.electives_required:
        lines.append(_("%(held)s of the %(need)s required elective units are held.") % {
            "held": verdict.electives_held, "need": verdict.electives_required})
    for item in verdict.prerequisites_missing:
        lines.append(_("Unit %(unit)s requires %(requires)s, which is not held.") % item)
    for item in verdict.outdated:
        lines.append(_("Unit %(unit)s is an older version than the %(requires)s the qualification lists.") % item)
    if verdict.not_in_qualification:
        lines.append(_("Not part of this qualification: %(units)s.") % {
            "units": ", ".join(verdict.not_in_qualification)})
    if verdict.invalid_codes:
        lines.append(_("Not unit codes: %(codes)s.") % {"codes": ", ".join(verdict.invalid_codes)})
    return lines


def scheme_refusals(rule: Rule, unit_codes: Iterable[str]) -> list[str]:
    """Why a scheme built on ``rule``'s qualification with these units may not be saved (empty = acceptable).

    The scheme must meet the rule, and every unit must be listed in the qualification or be a prerequisite of
    a unit it contains.
    """
    verdict = evaluate(rule, list(unit_codes))
    if verdict.met and not verdict.not_in_qualification and not verdict.invalid_codes and not verdict.outdated:
        return []
    return explain(verdict)
