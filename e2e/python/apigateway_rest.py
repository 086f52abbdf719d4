"""API Gateway REST with boto3: an API whose method calls a Lambda alias named by a stage
variable, deployed to dev and prod, stages patched, exported, paginated, then called with urllib."""
import json
import time
import urllib.request

from boto3_common import ACCOUNT, ENDPOINT, REGION, client, create_python_function, expect_error, report

lam = client("lambda")
apigw = client("apigateway")
fn = f"py-api-{int(time.time() * 1000)}"
fn_arn = create_python_function(lam, fn, "import json, os\ndef handler(event, context):\n    return {'statusCode': 200, 'headers': {'content-type': 'application/json'}, 'body': json.dumps({'version': os.environ['AWS_LAMBDA_FUNCTION_VERSION'], 'path': event['path'], 'stageVariables': event['stageVariables']})}\n")["FunctionArn"]
v1 = lam.publish_version(FunctionName=fn)["Version"]
for alias in ("dev", "prod"):
    lam.create_alias(FunctionName=fn, Name=alias, FunctionVersion=v1)

api = apigw.create_rest_api(name=f"{fn}-api", description="boto3", endpointConfiguration={"types": ["REGIONAL"]}, tags={"team": "py"})
api_id = api["id"]
assert api["ResponseMetadata"]["HTTPStatusCode"] == 201
assert hasattr(api["createdDate"], "year"), api["createdDate"]
root = next(r for r in apigw.get_resources(restApiId=api_id)["items"] if r["path"] == "/")
items = apigw.create_resource(restApiId=api_id, parentId=root["id"], pathPart="items")
proxy = apigw.create_resource(restApiId=api_id, parentId=items["id"], pathPart="{proxy+}")
uri = f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/{fn_arn}:${{stageVariables.alias}}/invocations"
for resource in (items, proxy):
    apigw.put_method(restApiId=api_id, resourceId=resource["id"], httpMethod="ANY", authorizationType="NONE")
    integ = apigw.put_integration(restApiId=api_id, resourceId=resource["id"], httpMethod="ANY", type="AWS_PROXY",
                                  integrationHttpMethod="POST", uri=uri)
    assert integ["uri"] == uri, integ
method = apigw.get_method(restApiId=api_id, resourceId=items["id"], httpMethod="ANY")
assert method["methodIntegration"]["type"] == "AWS_PROXY", method
for alias in ("dev", "prod"):
    lam.add_permission(FunctionName=fn, Qualifier=alias, StatementId="apigw", Action="lambda:InvokeFunction",
                       Principal="apigateway.amazonaws.com", SourceArn=f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{api_id}/*")

dep = apigw.create_deployment(restApiId=api_id, stageName="dev", variables={"alias": "dev"}, description="first")
assert dep["ResponseMetadata"]["HTTPStatusCode"] == 201
stage = apigw.create_stage(restApiId=api_id, stageName="prod", deploymentId=dep["id"], variables={"alias": "prod"})
assert stage["ResponseMetadata"]["HTTPStatusCode"] == 201
assert hasattr(stage["lastUpdatedDate"], "year"), stage
expect_error(("ConflictException", 409), apigw.create_stage, restApiId=api_id, stageName="prod", deploymentId=dep["id"])
stages = sorted(s["stageName"] for s in apigw.get_stages(restApiId=api_id)["item"])
assert stages == ["dev", "prod"], stages
patched = apigw.update_stage(restApiId=api_id, stageName="prod", patchOperations=[
    {"op": "replace", "path": "/variables/alias", "value": "prod"},
    {"op": "replace", "path": "/description", "value": "production"},
    {"op": "replace", "path": "/*/*/throttling/rateLimit", "value": "100"},
])
assert patched["description"] == "production" and patched["variables"] == {"alias": "prod"}, patched
assert patched["methodSettings"]["*/*"]["throttlingRateLimit"] == 100.0, patched["methodSettings"]

def call(stage_name, path):
    url = f"{ENDPOINT}/restapis/{api_id}/{stage_name}/_user_request_{path}"
    with urllib.request.urlopen(urllib.request.Request(url, method="GET")) as res:
        return res.status, json.loads(res.read())

status, body = call("dev", "/items")
assert status == 200 and body == {"version": v1, "path": "/items", "stageVariables": {"alias": "dev"}}, body
# Promote: prod's alias moves to a new version; the stage serves it without a redeploy.
lam.update_function_configuration(FunctionName=fn, Description="v2")
lam.get_waiter("function_updated_v2").wait(FunctionName=fn, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
v2 = lam.publish_version(FunctionName=fn)["Version"]
lam.update_alias(FunctionName=fn, Name="prod", FunctionVersion=v2)
status, body = call("prod", "/items/a/b")
assert status == 200 and body["version"] == v2 and body["path"] == "/items/a/b", body
assert call("dev", "/items")[1]["version"] == v1

# A canary on prod for a new deployment, promoted by patch operations.
canary = apigw.create_deployment(restApiId=api_id, stageName="prod", canarySettings={"percentTraffic": 10.0, "stageVariableOverrides": {"alias": "dev"}})
assert apigw.get_stage(restApiId=api_id, stageName="prod")["canarySettings"]["deploymentId"] == canary["id"]
promoted = apigw.update_stage(restApiId=api_id, stageName="prod", patchOperations=[
    {"op": "copy", "from": "/canarySettings/deploymentId", "path": "/deploymentId"}, {"op": "remove", "path": "/canarySettings"}])
assert promoted["deploymentId"] == canary["id"] and "canarySettings" not in promoted, promoted
expect_error(("BadRequestException", 400, "Active stages pointing to this deployment must be moved or deleted"),
             apigw.delete_deployment, restApiId=api_id, deploymentId=canary["id"])

exported = apigw.get_export(restApiId=api_id, stageName="prod", exportType="oas30", accepts="application/json")
doc = json.loads(exported["body"].read())
assert doc["openapi"].startswith("3.0") and "/items/{proxy+}" in doc["paths"], doc.get("paths")
swagger = json.loads(apigw.get_export(restApiId=api_id, stageName="prod", exportType="swagger")["body"].read())
assert swagger["swagger"] == "2.0", swagger
# Promote by definition: dev's export with its integrations, imported as a new API and deployed.
definition = apigw.get_export(restApiId=api_id, stageName="dev", exportType="oas30", parameters={"extensions": "integrations"}, accepts="application/json")["body"].read()
copy = apigw.import_rest_api(body=definition, failOnWarnings=True)
assert copy["ResponseMetadata"]["HTTPStatusCode"] == 201 and copy["name"] == f"{fn}-api", copy
apigw.create_deployment(restApiId=copy["id"], stageName="prod", variables={"alias": "prod"})
lam.add_permission(FunctionName=fn, Qualifier="prod", StatementId="copy", Action="lambda:InvokeFunction",
                   Principal="apigateway.amazonaws.com", SourceArn=f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{copy['id']}/*")
with urllib.request.urlopen(f"{ENDPOINT}/restapis/{copy['id']}/prod/_user_request_/items/x") as res:
    assert json.loads(res.read())["version"] == v2
apigw.delete_rest_api(restApiId=copy["id"])

# Paginators: resources and deployments over several pages.
for i in range(30):
    apigw.create_resource(restApiId=api_id, parentId=root["id"], pathPart=f"r{i:02d}")
paths = [r["path"] for p in apigw.get_paginator("get_resources").paginate(restApiId=api_id, PaginationConfig={"PageSize": 7}) for r in p["items"]]
assert len(paths) == 33 and len(set(paths)) == 33, paths
for _ in range(3):
    apigw.create_deployment(restApiId=api_id)
deps = [d["id"] for p in apigw.get_paginator("get_deployments").paginate(restApiId=api_id, PaginationConfig={"PageSize": 2}) for d in p["items"]]
assert len(deps) == 5 and len(set(deps)) == 5, deps
apis = [a["id"] for p in apigw.get_paginator("get_rest_apis").paginate(PaginationConfig={"PageSize": 1}) for a in p["items"]]
assert api_id in apis, apis

expect_error(("NotFoundException", 404, f"Invalid API identifier specified {ACCOUNT}:nosuchapi0"), apigw.get_rest_api, restApiId="nosuchapi0")
expect_error(("NotFoundException", 404), apigw.get_stage, restApiId=api_id, stageName="qa")
expect_error(("BadRequestException", 400), apigw.create_deployment, restApiId=api_id, stageName="bad stage!")
tags = apigw.get_tags(resourceArn=f"arn:aws:apigateway:{REGION}::/restapis/{api_id}")["tags"]
assert tags == {"team": "py"}, tags

apigw.delete_rest_api(restApiId=api_id)
lam.delete_function(FunctionName=fn)
report(api=api_id, stages=stages, deployments=len(deps), resources=len(paths))
