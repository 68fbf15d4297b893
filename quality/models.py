"""Models of the LSP's own records; each area keeps its models in a module of its own and re-exports them here."""
