"""API Gateway v2 with boto3: an HTTP API quick-created for a Lambda function, routes,
integrations and stages, paginated and patched, then called with urllib."""
import json
import time
import urllib.request

from boto3_common import ACCOUNT, ENDPOINT, REGION, client, create_python_function, expect_error, report

lam = client("lambda")
v2 = client("apigatewayv2")
fn = f"py-http-{int(time.time() * 1000)}"
fn_arn = create_python_function(lam, fn, "import json\ndef handler(event, context):\n    return {'statusCode': 200, 'body': json.dumps({'route': event['routeKey'], 'path': event['rawPath']})}\n")["FunctionArn"]

api = v2.create_api(Name=f"{fn}-api", ProtocolType="HTTP", Target=fn_arn, Tags={"team": "py"})
api_id = api["ApiId"]
assert api["ResponseMetadata"]["HTTPStatusCode"] == 201 and hasattr(api["CreatedDate"], "year"), api
lam.add_permission(FunctionName=fn, StatementId="http", Action="lambda:InvokeFunction", Principal="apigateway.amazonaws.com",
                   SourceArn=f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{api_id}/*")
integ = v2.create_integration(ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=fn_arn, PayloadFormatVersion="2.0")
for key in ("GET /orders", "POST /orders", "GET /orders/{id}"):
    route = v2.create_route(ApiId=api_id, RouteKey=key, Target=f"integrations/{integ['IntegrationId']}")
    assert route["RouteKey"] == key, route
expect_error(("ConflictException", 409), v2.create_route, ApiId=api_id, RouteKey="GET /orders", Target=f"integrations/{integ['IntegrationId']}")
routes = sorted(r["RouteKey"] for p in v2.get_paginator("get_routes").paginate(ApiId=api_id, PaginationConfig={"PageSize": 2}) for r in p["Items"])
assert routes == ["$default", "GET /orders", "GET /orders/{id}", "POST /orders"], routes
stage = v2.create_stage(ApiId=api_id, StageName="prod", AutoDeploy=True, StageVariables={"env": "prod"})
assert stage["AutoDeploy"] is True and hasattr(stage["LastUpdatedDate"], "year"), stage
updated = v2.update_stage(ApiId=api_id, StageName="prod", DefaultRouteSettings={"ThrottlingBurstLimit": 10, "ThrottlingRateLimit": 20.0})
assert updated["DefaultRouteSettings"]["ThrottlingBurstLimit"] == 10, updated
stages = sorted(s["StageName"] for p in v2.get_paginator("get_stages").paginate(ApiId=api_id) for s in p["Items"])
assert stages == ["$default", "prod"], stages

def call(stage_path, path):
    with urllib.request.urlopen(f"{ENDPOINT}/restapis/{api_id}/{stage_path}/_user_request_{path}") as res:
        return json.loads(res.read())

assert call("prod", "/orders/7") == {"route": "GET /orders/{id}", "path": "/prod/orders/7"}, call("prod", "/orders/7")
assert v2.get_api(ApiId=api_id)["Tags"] == {"team": "py"}
expect_error(("NotFoundException", 404, f"Invalid API identifier specified {ACCOUNT}:nosuchapi0"), v2.get_api, ApiId="nosuchapi0")
expect_error(("BadRequestException", 400), v2.create_route, ApiId=api_id, RouteKey="NOT A ROUTE KEY")
apis = [a["ApiId"] for p in v2.get_paginator("get_apis").paginate() for a in p["Items"]]
assert api_id in apis, apis

v2.delete_api(ApiId=api_id)
lam.delete_function(FunctionName=fn)
report(api=api_id, routes=routes, stages=stages)
