"""A certificate authority and a signer made here, for the demo (``make run``) and for tests.

``ensure_demo_signer(folder)`` writes ``ca.pem`` (the root to trust when validating) and ``signer.p12`` (the
signer's key and certificate, with the CA in its chain) once; running it again keeps them. Never for production:
there the signer is the LSP's own PKCS#12 file or the BSrE service.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

DEMO_PASSWORD = "demo-esign"  # noqa: S105 - a throw-away demo key under var/, never committed


@dataclass(frozen=True)
class DemoSigner:
    ca_pem: Path
    p12: Path
    password: str


def _name(common_name: str):
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "LSP BPSDM Provinsi DKI Jakarta (demo)"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def make_ca_and_signer(*, signer_name: str = "Kepala LSP (demo)", ca_name: str = "Demo Root CA Portal Sertifikasi",
                       password: str = DEMO_PASSWORD) -> tuple[bytes, bytes]:
    """(CA certificate as PEM, signer as PKCS#12 bytes protected by ``password``)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12

    now = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=1)
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
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(_name(signer_name)).issuer_name(ca_cert.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1825))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    p12 = pkcs12.serialize_key_and_certificates(
        b"signer", key, cert, [ca_cert], serialization.BestAvailableEncryption(password.encode()))
    return ca_cert.public_bytes(serialization.Encoding.PEM), p12


def ensure_demo_signer(folder: Path) -> DemoSigner:
    """Create the demo CA and signer in ``folder`` unless they are there (idempotent)."""
    folder = Path(folder)
    signer = DemoSigner(folder / "ca.pem", folder / "signer.p12", DEMO_PASSWORD)
    if signer.ca_pem.exists() and signer.p12.exists():
        return signer
    folder.mkdir(parents=True, exist_ok=True)
    ca_pem, p12 = make_ca_and_signer()
    signer.p12.write_bytes(p12)
    signer.p12.chmod(0o600)
    signer.ca_pem.write_bytes(ca_pem)
    return signer
