"""Sets up moto's AWS server for tests/aws.rs, through boto3 (moto's own
dependency): an IAM user allowed to read secrets, its access key, and the
secrets given as JSON on stdin ({"name": "secret string"}). Prints the key
as JSON. Each call is one of the server's unauthenticated initial actions
(INITIAL_NO_AUTH_ACTION_COUNT = 3 + the number of secrets)."""

import json
import sys

import boto3

endpoint = sys.argv[1]
secrets = json.load(sys.stdin)
setup = dict(endpoint_url=endpoint, region_name="eu-west-1",
             aws_access_key_id="bootstrap", aws_secret_access_key="bootstrap")
iam = boto3.client("iam", **setup)
iam.create_user(UserName="reader")
key = iam.create_access_key(UserName="reader")["AccessKey"]
policy = {"Version": "2012-10-17",
          "Statement": [{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]}
iam.put_user_policy(UserName="reader", PolicyName="read-secrets", PolicyDocument=json.dumps(policy))
manager = boto3.client("secretsmanager", **setup)
for name, value in secrets.items():
    manager.create_secret(Name=name, SecretString=value)
print(json.dumps({"id": key["AccessKeyId"], "secret": key["SecretAccessKey"]}))
