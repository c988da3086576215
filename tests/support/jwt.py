"""Makes an RSA key pair and signs JWTs with it (RS256), for OpenBao's JWT and
Kubernetes auth tests. Reads a JSON list of claim sets on stdin; prints
{"public_key": PEM, "ca_cert": PEM, "tokens": [JWT, ...]}: the CA certificate
(self-signed with the same key) is what OpenBao's Kubernetes config requires
for the cluster. Uses `cryptography`, which moto (installed by
./scripts/test) depends on."""

import base64
import datetime
import json
import sys

from cryptography.hazmat.primitives import hashes, serialization
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
public = key.public_key().public_bytes(
    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
)
name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "credenv stand-in cluster CA")])
now = datetime.datetime.now(datetime.timezone.utc)
ca = (
    x509.CertificateBuilder()
    .subject_name(name)
    .issuer_name(name)
    .public_key(key.public_key())
    .serial_number(x509.random_serial_number())
    .not_valid_before(now - datetime.timedelta(minutes=5))
    .not_valid_after(now + datetime.timedelta(days=1))
    .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
    .sign(key, hashes.SHA256())
)
tokens = []
for claims in json.load(sys.stdin):
    header = {"alg": "RS256", "typ": "JWT", "kid": "credenv-test"}
    signing = b64(json.dumps(header).encode()) + "." + b64(json.dumps(claims).encode())
    signature = key.sign(signing.encode(), padding.PKCS1v15(), hashes.SHA256())
    tokens.append(signing + "." + b64(signature))
ca_cert = ca.public_bytes(serialization.Encoding.PEM).decode()
print(json.dumps({"public_key": public.decode(), "ca_cert": ca_cert, "tokens": tokens}))
