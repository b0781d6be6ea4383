#!/usr/bin/python3
"""Python `cryptography`'s view of every file in a folder, one JSON object per line.

For the differential test (tests/interop/differential.test.ts): reads each file named
<n>.<kind>.der (kind: cert, csr or p12; p12 files use the password in argv[2]) and prints
whether Python opens it, its validity dates, SHA-256 fingerprint and whether its own key verifies
its signature (true/false, or null when not self-issued or the key type cannot be checked).
One process for all files, so the test stays fast.
"""
import json
import os
import sys

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12

folder = sys.argv[1]
password = sys.argv[2].encode() if len(sys.argv) > 2 else None


def iso(when):
    return when.replace(tzinfo=None).isoformat(timespec='seconds') + 'Z'


def verify(key, signature, data, hash_alg):
    """True/False for a signature by `key`; None when the algorithm is not one Python checks here."""
    try:
        if isinstance(key, rsa.RSAPublicKey):
            if hash_alg is None:
                return None
            key.verify(signature, data, padding.PKCS1v15(), hash_alg)
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, data, ec.ECDSA(hash_alg))
        elif isinstance(key, dsa.DSAPublicKey):
            key.verify(signature, data, hash_alg)
        elif isinstance(key, (ed25519.Ed25519PublicKey, ed448.Ed448PublicKey)):
            key.verify(signature, data)
        else:
            return None
        return True
    except InvalidSignature:
        return False
    except Exception:
        return None


def self_signature(cert):
    if cert.issuer.public_bytes() != cert.subject.public_bytes():
        return None
    try:
        hash_alg = cert.signature_hash_algorithm
    except Exception:
        hash_alg = None
    try:
        key = cert.public_key()
    except Exception:
        return None
    return verify(key, cert.signature, cert.tbs_certificate_bytes, hash_alg)


def certificate_view(der):
    cert = x509.load_der_x509_certificate(der)
    cert.subject.rfc4514_string()
    cert.issuer.rfc4514_string()
    return {
        'notBefore': iso(cert.not_valid_before),
        'notAfter': iso(cert.not_valid_after),
        'sha256': cert.fingerprint(hashes.SHA256()).hex(':').upper(),
        'selfSignature': self_signature(cert),
    }


def csr_view(der):
    request = x509.load_der_x509_csr(der)
    request.subject.rfc4514_string()
    return {'selfSignature': request.is_signature_valid}


for file in sorted(os.listdir(folder)):
    kind = file.split('.')[-2]
    with open(os.path.join(folder, file), 'rb') as f:
        der = f.read()
    view = {'file': file, 'opens': False}
    try:
        if kind == 'cert':
            view.update(certificate_view(der))
        elif kind == 'csr':
            view.update(csr_view(der))
        else:
            pkcs12.load_key_and_certificates(der, password)
        view['opens'] = True
    except Exception as error:  # any refusal is a "does not open"
        view['error'] = f'{type(error).__name__}: {error}'[:120]
    print(json.dumps(view), flush=True)
