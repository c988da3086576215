"""A loopback stand-in for the two places AWS serves a machine's credentials
over http, following their documented protocols (no real EC2 or ECS runs
here): the ECS/EKS container credentials endpoint (GET, the
`Authorization` header must be the container's token) and EC2's IMDSv2
(PUT /latest/api/token, then GET .../iam/security-credentials/[role] with
the session token). argv: port, the container token; stdin: the
credentials to hand out, as JSON {"id", "secret", "token"}. Each request is
logged to stdout as `METHOD PATH authorized|unauthorized`, never a token."""

import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port, container_token = int(sys.argv[1]), sys.argv[2]
keys = json.load(sys.stdin)
SESSION = "imds-session-token"
ROLE = "web-role"
CREDENTIALS = {
    "AccessKeyId": keys["id"],
    "SecretAccessKey": keys["secret"],
    "Token": keys["token"],
    "Expiration": "2099-01-01T00:00:00Z",
}


class Handler(BaseHTTPRequestHandler):
    def answer(self, status, body, kind="application/json", ttl=None):
        data = body.encode()
        self.send_response(status)
        if ttl:
            self.send_header("X-aws-ec2-metadata-token-ttl-seconds", ttl)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log(self, authorized):
        verdict = "authorized" if authorized else "unauthorized"
        print(f"{self.command} {self.path} {verdict}", flush=True)

    def do_PUT(self):
        ttl = self.headers.get("X-aws-ec2-metadata-token-ttl-seconds")
        self.log(ttl is not None)
        if self.path == "/latest/api/token" and ttl:
            return self.answer(200, SESSION, "text/plain", ttl)
        self.answer(400, "")

    def do_GET(self):
        if self.path.startswith("/latest/"):
            authorized = self.headers.get("X-aws-ec2-metadata-token") == SESSION
            self.log(authorized)
            if not authorized:
                return self.answer(401, "")
            for listing in ("/latest/meta-data/iam/security-credentials",
                            "/latest/meta-data/iam/security-credentials-extended"):
                if self.path.rstrip("/") == listing:
                    return self.answer(200, ROLE, "text/plain")
                if self.path == f"{listing}/{ROLE}":
                    body = dict(CREDENTIALS, Code="Success", Type="AWS-HMAC",
                                LastUpdated="2026-01-01T00:00:00Z")
                    return self.answer(200, json.dumps(body))
            return self.answer(404, "")
        authorized = self.headers.get("Authorization") == container_token
        self.log(authorized)
        if not authorized:
            return self.answer(401, json.dumps({"message": "bad token"}))
        self.answer(200, json.dumps(CREDENTIALS))

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
