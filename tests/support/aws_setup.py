"""Sets up moto's AWS server for the AWS tests, through boto3 (moto's own
dependency): an IAM user allowed to read secrets and their versions (and to
publish new versions, for the rotation tests) and to assume the role
`reader`, the role (which web identities may assume too) with the same
read permission, its temporary credentials, and the secrets given as JSON on
stdin ({"name": "secret string"}). Prints the keys as JSON. Each call but
the assume-role one is one of the server's unauthenticated initial actions
(INITIAL_NO_AUTH_ACTION_COUNT = 5 + the number of secrets)."""

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
read = {"Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret",
                                   "secretsmanager:PutSecretValue",
                                   "sts:AssumeRole"],
                       "Resource": "*"}]}
iam.put_user_policy(UserName="reader", PolicyName="read-secrets", PolicyDocument=json.dumps(read))
trust = {"Version": "2012-10-17",
         "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*", "Federated": "*"},
                        "Action": ["sts:AssumeRole", "sts:AssumeRoleWithWebIdentity"]}]}
role = iam.create_role(RoleName="reader", AssumeRolePolicyDocument=json.dumps(trust))["Role"]
iam.put_role_policy(RoleName="reader", PolicyName="read-secrets", PolicyDocument=json.dumps(read))
manager = boto3.client("secretsmanager", **setup)
for name, value in secrets.items():
    manager.create_secret(Name=name, SecretString=value)
sts = boto3.client("sts", endpoint_url=endpoint, region_name="eu-west-1",
                   aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])
temporary = sts.assume_role(RoleArn=role["Arn"], RoleSessionName="setup")["Credentials"]
print(json.dumps({"id": key["AccessKeyId"], "secret": key["SecretAccessKey"], "role": role["Arn"],
                  "temporary": {"id": temporary["AccessKeyId"], "secret": temporary["SecretAccessKey"],
                                "token": temporary["SessionToken"]}}))
