"""A certificate authority and signers made here, for the demo (``make run``) and for tests.

``ensure_demo_signer(folder)`` writes ``ca.pem`` (the root to trust when validating), ``ca-key.pem`` (the CA's key,
to issue the other offices' keys later) and ``signer.p12`` (the LSP head's key and certificate, with the CA in its
chain) once; running it again keeps them. ``ensure_demo_office(folder, office, ...)`` issues one signing office's
key (the head of an agency, the Sekretaris Daerah: :mod:`.offices`) from the same CA, as ``signers/<office>.p12``.
Never for production: there each signer's key is its own PKCS#12 file, or the BSrE service.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

DEMO_PASSWORD = "demo-esign"  # noqa: S105 - a throw-away demo key under var/, never committed
DEMO_ORGANISATION = "LSP BPSDM Provinsi DKI Jakarta (demo)"


@dataclass(frozen=True)
class DemoSigner:
    ca_pem: Path
    p12: Path
    password: str

    @property
    def ca_key(self) -> Path:
        return self.ca_pem.with_name("ca-key.pem")


def _name(common_name: str, *, organisation: str = DEMO_ORGANISATION, title: str = ""):
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
                  x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation)]
    if title:
        attributes.append(x509.NameAttribute(NameOID.TITLE, title))
    return x509.Name([*attributes, x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _now():
    """The start of validity: a year back, so that tests which fix the clock at a past date still sign within it."""
    return datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=366)


def make_ca(ca_name: str = "Demo Root CA Portal Sertifikasi"):
    """(CA certificate, CA key) as cryptography objects."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec

    now = _now()
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = (x509.CertificateBuilder().subject_name(_name(ca_name)).issuer_name(_name(ca_name))
               .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=3650))
               .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
               .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False,
                                            key_encipherment=False, data_encipherment=False, key_agreement=False,
                                            key_cert_sign=True, crl_sign=True, encipher_only=False,
                                            decipher_only=False), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
               .sign(ca_key, hashes.SHA256()))
    return ca_cert, ca_key


def issue_signer(ca_cert, ca_key, *, common_name: str, title: str = "", organisation: str = DEMO_ORGANISATION,
                 password: str = DEMO_PASSWORD) -> bytes:
    """A signer's key and certificate (subject: ``common_name``, ``title``, ``organisation``) issued by the CA, as
    PKCS#12 bytes protected by ``password``."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12

    now = _now()
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(_name(common_name, organisation=organisation, title=title)).issuer_name(ca_cert.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1825))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    return pkcs12.serialize_key_and_certificates(
        b"signer", key, cert, [ca_cert], serialization.BestAvailableEncryption(password.encode()))


def make_ca_and_signer(*, signer_name: str = "Kepala LSP (demo)", ca_name: str = "Demo Root CA Portal Sertifikasi",
                       password: str = DEMO_PASSWORD) -> tuple[bytes, bytes]:
    """(CA certificate as PEM, signer as PKCS#12 bytes protected by ``password``)."""
    from cryptography.hazmat.primitives import serialization

    ca_cert, ca_key = make_ca(ca_name)
    p12 = issue_signer(ca_cert, ca_key, common_name=signer_name, title="Kepala LSP", password=password)
    return ca_cert.public_bytes(serialization.Encoding.PEM), p12


def ensure_demo_signer(folder: Path) -> DemoSigner:
    """Create the demo CA and the LSP head's signer in ``folder`` unless they are there (idempotent)."""
    from cryptography.hazmat.primitives import serialization

    folder = Path(folder)
    signer = DemoSigner(folder / "ca.pem", folder / "signer.p12", DEMO_PASSWORD)
    if signer.ca_pem.exists() and signer.p12.exists() and signer.ca_key.exists():
        return signer
    folder.mkdir(parents=True, exist_ok=True)
    ca_cert, ca_key = make_ca()
    _write_secret(signer.p12, issue_signer(ca_cert, ca_key, common_name="Kepala LSP (demo)", title="Kepala LSP"))
    _write_secret(signer.ca_key, ca_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(DEMO_PASSWORD.encode())))
    signer.ca_pem.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    for stale in (folder / "signers").glob("*.p12"):  # issued by a CA that is no more
        stale.unlink()
    return signer


def ensure_demo_office(folder: Path, office: str, *, common_name: str, title: str, organisation: str) -> Path:
    """The key of one signing office (``signers/<office>.p12`` in ``folder``), issued by the demo CA there."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    signer = ensure_demo_signer(folder)
    path = Path(folder) / "signers" / f"{office}.p12"
    if path.exists():
        return path
    ca_cert = x509.load_pem_x509_certificate(signer.ca_pem.read_bytes())
    ca_key = serialization.load_pem_private_key(signer.ca_key.read_bytes(), DEMO_PASSWORD.encode())
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_secret(path, issue_signer(ca_cert, ca_key, common_name=common_name, title=title,
                                     organisation=organisation))
    return path


def _write_secret(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    path.chmod(0o600)
