"""Open Badges 3.0 credentials of issued certificates (issue 31): a signed JSON document the holder keeps, which any
verifier checks offline against the LSP's published key and status lists.

Two forms of the same credential are emitted (same id, issuer, holder identifiers, achievement, evidence, status
index; why: ``docs/credentials.md``), both issued by the LSP's ``did:key`` (Ed25519):

- **VC 2.0** (the default, "for wallets"): W3C VC Data Model 2.0 with the Open Badges ``context-3.0.3.json``, an
  embedded ``DataIntegrityProof`` (``eddsa-rdfc-2022``) signed by our own code (:mod:`.eddsa`), and two
  ``BitstringStatusListEntry`` (revocation, suspension) (:mod:`.vc2`);
- **VC 1.1**: W3C VC Data Model 1.1 with the Open Badges ``context.json``, an ``Ed25519Signature2018`` proof signed
  by DIDKit (``openedx-didkit``) in a child process (:mod:`.didkit_worker`) and checked in the web process by
  :mod:`.signature2018`, and a ``StatusList2021Entry`` (revocation) whose index is also the certificate's index in
  the suspension list.

Every JSON-LD context is bundled (``contexts/``), never fetched.

- :mod:`.keys` the LSP's Ed25519 keys (a folder of JWK files; the newest signs, all stay published);
- :mod:`.document` the credential of one certificate (VC 1.1 form), from what the certificate froze at issue;
- :mod:`.vc2` its VC 2.0 form and the Bitstring status list credentials; :mod:`.eddsa` the ``eddsa-rdfc-2022``
  signature and its check;
- :mod:`.services` the credential of a certificate, signed once on first request (download, wallet link, API);
- :mod:`.status` the status lists, updated in the transaction of every certificate status change;
- :mod:`.check` what the public page says of an uploaded credential.
"""
