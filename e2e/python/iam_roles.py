"""IAM with boto3 as scripts create a Lambda execution role: create_role, attach_role_policy with the
AWS managed ARN, put_role_policy, paginators, documents decoded by botocore, ClientError codes, then
create_function with the role's ARN and invoke."""
import json
import time

from boto3_common import ACCOUNT, client, expect_error, report, zip_bytes

iam = client("iam")
lam = client("lambda")
name = f"py-role-{int(time.time() * 1000)}"
trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
inline = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["logs:PutLogEvents"], "Resource": "*"}]}
basic = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"

role = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust), Description="py")["Role"]
assert role["Arn"] == f"arn:aws:iam::{ACCOUNT}:role/{name}", role["Arn"]
assert role["AssumeRolePolicyDocument"] == trust, role["AssumeRolePolicyDocument"]  # botocore decodes it
iam.attach_role_policy(RoleName=name, PolicyArn=basic)
iam.put_role_policy(RoleName=name, PolicyName="inline", PolicyDocument=json.dumps(inline))
assert iam.get_role_policy(RoleName=name, PolicyName="inline")["PolicyDocument"] == inline
version = iam.get_policy_version(PolicyArn=basic, VersionId="v1")["PolicyVersion"]
assert version["Document"]["Statement"][0]["Action"] == ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], version

for i in range(5):
    iam.create_role(RoleName=f"{name}-{i}", Path="/py/", AssumeRolePolicyDocument=json.dumps(trust))
pages = list(iam.get_paginator("list_roles").paginate(PathPrefix="/py/", PaginationConfig={"PageSize": 2}))
assert [len(p["Roles"]) for p in pages] == [2, 2, 1], [len(p["Roles"]) for p in pages]
attached = [p["PolicyArn"] for page in iam.get_paginator("list_attached_role_policies").paginate(RoleName=name) for p in page["AttachedPolicies"]]
assert attached == [basic], attached

expect_error(("EntityAlreadyExists", 409, f"Role with name {name} already exists."), iam.create_role, RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))
expect_error(("NoSuchEntity", 404, "The role with name nobody cannot be found."), iam.get_role, RoleName="nobody")
expect_error(("MalformedPolicyDocument", 400, "This policy contains invalid Json"), iam.create_role, RoleName=f"{name}-x", AssumeRolePolicyDocument="{")
expect_error(("DeleteConflict", 409, "Cannot delete entity, must detach all policies first."), iam.delete_role, RoleName=name)

fn = f"{name}-fn"
lam.create_function(FunctionName=fn, Runtime="python3.11", Handler="app.handler", Role=role["Arn"],
                    Code={"ZipFile": zip_bytes({"app.py": "def handler(event, context):\n    return {'ok': event['n'] + 1}\n"})})
lam.get_waiter("function_active_v2").wait(FunctionName=fn, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
out = json.loads(lam.invoke(FunctionName=fn, Payload=json.dumps({"n": 41}))["Payload"].read())
assert out == {"ok": 42}, out
lam.delete_function(FunctionName=fn)

iam.detach_role_policy(RoleName=name, PolicyArn=basic)
iam.delete_role_policy(RoleName=name, PolicyName="inline")
iam.delete_role(RoleName=name)
report(role=name, pages=len(pages), invoked=out["ok"])
