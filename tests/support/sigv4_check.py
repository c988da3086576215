"""Checks the SigV4 signature of one HTTP request, as AWS would, with
botocore (moto's own dependency): reads the raw request on stdin, signs the
headers it says it signed with the secret key given as argv[1], and prints
`match` or `mismatch <botocore's canonical request>`. For
tests/hardening.rs, where moto does not check the signed path."""

import sys

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

raw = sys.stdin.buffer.read()
head, _, body = raw.partition(b"\r\n\r\n")
lines = head.decode().split("\r\n")
method, target, _ = lines[0].split(" ")
headers = {}
for line in lines[1:]:
    name, _, value = line.partition(":")
    headers[name.strip().lower()] = value.strip()
authorization = headers["authorization"]
fields = dict(part.strip().split("=", 1) for part in authorization.split(" ", 1)[1].split(","))
access_key, date, region, service, _ = fields["Credential"].split("/")
signed = fields["SignedHeaders"].split(";")
request = AWSRequest(
    method=method,
    url="http://" + headers["host"] + target,
    data=body,
    headers={name: headers[name] for name in signed},
)
request.context["timestamp"] = headers["x-amz-date"]
auth = SigV4Auth(Credentials(access_key, sys.argv[1]), service, region)
canonical = auth.canonical_request(request)
signature = auth.signature(auth.string_to_sign(request, canonical), request)
print("match" if signature == fields["Signature"] else "mismatch " + canonical)
