"""The retention room's part of "download my data": a disposal list names the staff who prepared and approved it;
its items name the person only until they are anonymised (then the pseudonym), and are the LSP's record of the
disposal, not the person's own data."""

NAMES = ["quality.DisposalList.created_by", "quality.DisposalList.approved_by"]


def collect(user) -> list:
    return []
