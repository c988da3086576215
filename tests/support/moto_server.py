"""moto's server with IAM checks on, and one fix: AWS's STS takes
AssumeRoleWithWebIdentity (and AssumeRoleWithSAML) unsigned, the token
being the credential, as its documentation says; moto's IAM checks instead
fail on the missing Authorization header (a KeyError, answered 500). Every
other action is checked as moto checks it."""

import sys

from moto.core.authorization import ActionAuthenticatorMixin
from moto.server import main

UNSIGNED = {"AssumeRoleWithWebIdentity", "AssumeRoleWithSAML"}
checked = ActionAuthenticatorMixin._authenticate_and_authorize_action


def authenticate(self, iam_request_cls, resource="*"):
    if self._get_action() in UNSIGNED:
        return None
    return checked(self, iam_request_cls, resource)


ActionAuthenticatorMixin._authenticate_and_authorize_action = authenticate
sys.exit(main(sys.argv[1:]))
