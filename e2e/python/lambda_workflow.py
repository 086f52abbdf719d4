"""Lambda DEV -> PROD the way a boto3 user scripts it: zip, waiters, versions, aliases with
weights, permissions, invoke with Tail logs, paginators, tags and ClientError codes."""
import base64
import json
import time
import urllib.request

from boto3_common import ACCOUNT, REGION, ROLE, client, expect_error, report, zip_bytes

lam = client("lambda")
name = f"py-workflow-{int(time.time() * 1000)}"
code_v1 = zip_bytes({"app.py": "import os\ndef handler(event, context):\n    print('hello from v1')\n    return {'version': os.environ['AWS_LAMBDA_FUNCTION_VERSION'], 'stage': 'v1', 'event': event}\n"})
code_v2 = zip_bytes({"app.py": "import os\ndef handler(event, context):\n    print('hello from v2')\n    return {'version': os.environ['AWS_LAMBDA_FUNCTION_VERSION'], 'stage': 'v2', 'event': event}\n"})

created = lam.create_function(FunctionName=name, Runtime="python3.11", Handler="app.handler", Role=ROLE,
                              Code={"ZipFile": code_v1}, Timeout=10, MemorySize=128, Tags={"team": "py"},
                              Environment={"Variables": {"GREETING": "hi"}})
assert created["ResponseMetadata"]["HTTPStatusCode"] == 201, created["ResponseMetadata"]
assert created["FunctionArn"] == f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}", created["FunctionArn"]
assert created["Version"] == "$LATEST"
lam.get_waiter("function_active_v2").wait(FunctionName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
got = lam.get_function(FunctionName=name)
assert got["Configuration"]["State"] == "Active", got["Configuration"]
assert got["Tags"] == {"team": "py"}, got["Tags"]
assert got["Code"]["RepositoryType"] == "S3", got["Code"]

# Conflicts and missing things are ClientErrors with AWS's codes, messages and statuses.
expect_error(("ResourceConflictException", 409, f"Function already exist: {name}"),
             lam.create_function, FunctionName=name, Runtime="python3.11", Handler="app.handler", Role=ROLE, Code={"ZipFile": code_v1})
expect_error(("ResourceNotFoundException", 404, f"Function not found: arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}-missing"),
             lam.get_function, FunctionName=f"{name}-missing")
expect_error(("InvalidParameterValueException", 400, "Could not unzip uploaded file. Please check your file, then try to upload again."),
             lam.update_function_code, FunctionName=name, ZipFile=b"not a zip")

v1 = lam.publish_version(FunctionName=name, Description="first")
assert v1["Version"] == "1", v1["Version"]
lam.update_function_code(FunctionName=name, ZipFile=code_v2)
lam.get_waiter("function_updated_v2").wait(FunctionName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
v2 = lam.publish_version(FunctionName=name)
assert v2["Version"] == "2", v2["Version"]

alias = lam.create_alias(FunctionName=name, Name="prod", FunctionVersion="1")
assert alias["AliasArn"].endswith(f":function:{name}:prod"), alias
expect_error(("ResourceConflictException", 409), lam.create_alias, FunctionName=name, Name="prod", FunctionVersion="1")
# Canary: 10% of prod's traffic to version 2.
updated = lam.update_alias(FunctionName=name, Name="prod", RoutingConfig={"AdditionalVersionWeights": {"2": 0.1}})
assert updated["RoutingConfig"] == {"AdditionalVersionWeights": {"2": 0.1}}, updated
seen = set()
for _ in range(40):
    r = lam.invoke(FunctionName=name, Qualifier="prod", Payload=b"{}")
    seen.add(r["ExecutedVersion"])
assert seen <= {"1", "2"} and "1" in seen, seen
lam.update_alias(FunctionName=name, Name="prod", FunctionVersion="2", RoutingConfig={"AdditionalVersionWeights": {}})
assert lam.get_alias(FunctionName=name, Name="prod")["FunctionVersion"] == "2"

stmt = lam.add_permission(FunctionName=name, Qualifier="prod", StatementId="apigw", Action="lambda:InvokeFunction",
                          Principal="apigateway.amazonaws.com", SourceArn=f"arn:aws:execute-api:{REGION}:{ACCOUNT}:abc/*")
assert stmt["ResponseMetadata"]["HTTPStatusCode"] == 201
assert json.loads(stmt["Statement"])["Sid"] == "apigw"
policy = json.loads(lam.get_policy(FunctionName=name, Qualifier="prod")["Policy"])
assert [s["Sid"] for s in policy["Statement"]] == ["apigw"], policy
expect_error(("ResourceConflictException", 409), lam.add_permission, FunctionName=name, Qualifier="prod", StatementId="apigw",
             Action="lambda:InvokeFunction", Principal="apigateway.amazonaws.com")
expect_error(("ResourceNotFoundException", 404), lam.get_policy, FunctionName=name)

out = lam.invoke(FunctionName=name, Qualifier="prod", Payload=json.dumps({"x": 1}), LogType="Tail")
assert out["StatusCode"] == 200 and out["ExecutedVersion"] == "2", out
body = json.loads(out["Payload"].read())
assert body == {"version": "2", "stage": "v2", "event": {"x": 1}}, body
tail = base64.b64decode(out["LogResult"]).decode()
assert "hello from v2" in tail and "REPORT RequestId:" in tail, tail
one = lam.invoke(FunctionName=name, Qualifier="1", Payload=b"{}")
assert json.loads(one["Payload"].read())["stage"] == "v1"
expect_error(("ResourceNotFoundException", 404), lam.invoke, FunctionName=name, Qualifier="9")
expect_error(("InvalidRequestContentException", 400), lam.invoke, FunctionName=name, Payload=b"not json")
expect_error(("RequestEntityTooLargeException", 413, "Request must be smaller than 6291456 bytes for the InvokeFunction operation"),
             lam.invoke, FunctionName=name, Payload=json.dumps({"big": "x" * 6_300_000}))
# The response stream's event stream, as botocore decodes it.
events = list(lam.invoke_with_response_stream(FunctionName=name, Qualifier="prod", Payload=b'{"s": 1}')["EventStream"])
streamed = json.loads(b"".join(e["PayloadChunk"]["Payload"] for e in events if "PayloadChunk" in e))
assert streamed["event"] == {"s": 1} and "InvokeComplete" in events[-1], events
# The code location is a URL that serves the zip.
with urllib.request.urlopen(lam.get_function(FunctionName=name, Qualifier="1")["Code"]["Location"]) as res:
    assert res.read() == code_v1
lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=0)
expect_error(("TooManyRequestsException", 429), lam.invoke, FunctionName=name, Payload=b"{}")
lam.delete_function_concurrency(FunctionName=name)

lam.tag_resource(Resource=created["FunctionArn"], Tags={"env": "prod"})
assert lam.list_tags(Resource=created["FunctionArn"])["Tags"] == {"team": "py", "env": "prod"}
lam.untag_resource(Resource=created["FunctionArn"], TagKeys=["team"])
assert lam.list_tags(Resource=created["FunctionArn"])["Tags"] == {"env": "prod"}

# Paginators over more than one page (AWS's page size is 50).
extra = [f"{name}-p{i:02d}" for i in range(52)]
for fn in extra:
    lam.create_function(FunctionName=fn, Runtime="python3.11", Handler="app.handler", Role=ROLE, Code={"ZipFile": code_v1})
pages = list(lam.get_paginator("list_functions").paginate())
names = [f["FunctionName"] for p in pages for f in p["Functions"]]
assert len(pages) >= 2, len(pages)
assert set(extra + [name]) <= set(names) and len(names) == len(set(names)), len(names)
versions = [v["Version"] for p in lam.get_paginator("list_versions_by_function").paginate(FunctionName=name) for v in p["Versions"]]
assert versions == ["$LATEST", "1", "2"], versions
aliases = [a["Name"] for p in lam.get_paginator("list_aliases").paginate(FunctionName=name) for a in p["Aliases"]]
assert aliases == ["prod"], aliases
small = list(lam.get_paginator("list_functions").paginate(PaginationConfig={"PageSize": 10, "MaxItems": 25}))
assert sum(len(p["Functions"]) for p in small) == 25, [len(p["Functions"]) for p in small]

for fn in extra:
    lam.delete_function(FunctionName=fn)
lam.delete_alias(FunctionName=name, Name="prod")
lam.delete_function(FunctionName=name)
expect_error(("ResourceNotFoundException", 404), lam.get_function_configuration, FunctionName=name)
report(function=name, executed=sorted(seen), pages=len(pages), tail_lines=len(tail.splitlines()))
