"""The certification body's own profile (LSP name, logo, BNSP licence, signatory, city): one row, kept by the LSP
admin at ``/profil-lsp/``, printed on the certificate, the result letter and the berita acara."""
