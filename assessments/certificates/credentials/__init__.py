"""Open Badges 3.0 credentials of issued certificates (issue 31): a signed JSON document the holder keeps, which any
verifier checks offline against the LSP's published key and status lists.

The form emitted (why: ``docs/credentials.md``): W3C VC Data Model 1.1 with the Open Badges 3.0 context
(``https://purl.imsglobal.org/spec/ob/v3p0/context.json``), an ``OpenBadgeCredential`` issued by the LSP's
``did:key`` (Ed25519) with an embedded ``Ed25519Signature2018`` proof, signed by DIDKit (``openedx-didkit``) in a
child process (:mod:`.didkit_worker`); the status is a ``StatusList2021Entry`` (revocation) whose index is also the
certificate's index in the suspension list. Every JSON-LD context is bundled (``contexts/``), never fetched.

- :mod:`.keys` the LSP's Ed25519 keys (a folder of JWK files; the newest signs, all stay published);
- :mod:`.document` the credential of one certificate;
- :mod:`.status` the status lists, updated in the transaction of every certificate status change;
- :mod:`.check` what the public page says of an uploaded credential.
"""
