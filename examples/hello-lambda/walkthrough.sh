#!/usr/bin/env bash
# The DEV/PROD walkthrough with the AWS CLI alone, against a running Stagecraft server:
#
#   stagecraft serve &                       # in another terminal
#   ./walkthrough.sh                         # STAGECRAFT_ENDPOINT=http://localhost:4566 by default
#
# It creates the function hello-lambda (src/index.mjs) with versions 1 and 2, aliases prod → 1
# and dev → 2, one REST API with GET /hello calling hello-lambda:${stageVariables.env}, stages dev
# (env=dev) and prod (env=prod), and lets API Gateway invoke each alias. Then it prints both
# invoke URLs of each stage and calls them: dev answers from version 2, prod from version 1.
# Running it again starts over (the function and the API it made before are deleted first).
set -euo pipefail

ENDPOINT="${STAGECRAFT_ENDPOINT:-http://localhost:4566}"
REGION="${AWS_REGION:-${AWS_DEFAULT_REGION:-us-east-1}}"
ACCOUNT="${STAGECRAFT_ACCOUNT:-000000000000}"
FUNCTION=hello-lambda
API_NAME=hello-lambda-api
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}" AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}" AWS_PAGER=""

awsx() { aws --endpoint-url "$ENDPOINT" --region "$REGION" "$@"; }
step() { printf '\n==> %s\n' "$*"; }

HERE="$(cd "$(dirname "$0")" && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

step "Packaging src/ into function.zip"
if command -v zip >/dev/null 2>&1; then
  (cd "$HERE/src" && zip -q -r "$WORK/function.zip" .)
else
  (cd "$HERE/src" && python3 -m zipfile -c "$WORK/function.zip" ./*)
fi

step "Cleaning up an earlier run"
awsx lambda delete-function --function-name "$FUNCTION" >/dev/null 2>&1 || true
for id in $(awsx apigateway get-rest-apis --query "items[?name=='$API_NAME'].id" --output text); do
  awsx apigateway delete-rest-api --rest-api-id "$id" >/dev/null
done

step "Creating $FUNCTION, publishing versions 1 and 2"
awsx lambda create-function --function-name "$FUNCTION" --runtime nodejs20.x --handler index.handler \
  --role "arn:aws:iam::$ACCOUNT:role/hello-lambda-role" --zip-file "fileb://$WORK/function.zip" \
  --environment '{"Variables":{"GREETING":"Hello from Lambda (version 1)"}}' \
  --query FunctionArn --output text
awsx lambda wait function-active-v2 --function-name "$FUNCTION"
awsx lambda publish-version --function-name "$FUNCTION" --query Version --output text
awsx lambda update-function-configuration --function-name "$FUNCTION" \
  --environment '{"Variables":{"GREETING":"Hello from Lambda (version 2)"}}' --query LastUpdateStatus --output text
awsx lambda wait function-updated-v2 --function-name "$FUNCTION"
awsx lambda publish-version --function-name "$FUNCTION" --query Version --output text

step "Aliases: prod -> 1, dev -> 2"
awsx lambda create-alias --function-name "$FUNCTION" --name prod --function-version 1 --query AliasArn --output text
awsx lambda create-alias --function-name "$FUNCTION" --name dev --function-version 2 --query AliasArn --output text

step "REST API $API_NAME with GET /hello -> $FUNCTION:\${stageVariables.env}"
API_ID="$(awsx apigateway create-rest-api --name "$API_NAME" --query id --output text)"
ROOT_ID="$(awsx apigateway get-resources --rest-api-id "$API_ID" --query "items[?path=='/'].id" --output text)"
RESOURCE_ID="$(awsx apigateway create-resource --rest-api-id "$API_ID" --parent-id "$ROOT_ID" --path-part hello --query id --output text)"
awsx apigateway put-method --rest-api-id "$API_ID" --resource-id "$RESOURCE_ID" --http-method GET \
  --authorization-type NONE --query httpMethod --output text
awsx apigateway put-integration --rest-api-id "$API_ID" --resource-id "$RESOURCE_ID" --http-method GET \
  --type AWS_PROXY --integration-http-method POST \
  --uri "arn:aws:apigateway:$REGION:lambda:path/2015-03-31/functions/arn:aws:lambda:$REGION:$ACCOUNT:function:$FUNCTION:\${stageVariables.env}/invocations" \
  --query uri --output text

step "Deploying: stage dev (env=dev), stage prod (env=prod)"
DEPLOYMENT_ID="$(awsx apigateway create-deployment --rest-api-id "$API_ID" --stage-name dev --variables env=dev --query id --output text)"
awsx apigateway create-stage --rest-api-id "$API_ID" --stage-name prod --deployment-id "$DEPLOYMENT_ID" \
  --variables env=prod --query stageName --output text

step "Letting API Gateway invoke hello-lambda:dev and hello-lambda:prod"
for alias in dev prod; do
  awsx lambda add-permission --function-name "$FUNCTION:$alias" --statement-id "apigateway-get-hello" \
    --action lambda:InvokeFunction --principal apigateway.amazonaws.com \
    --source-arn "arn:aws:execute-api:$REGION:$ACCOUNT:$API_ID/*/GET/hello" --query Statement --output text
done

# http://host:port of the endpoint, for the two invoke URL forms.
HOSTPORT="${ENDPOINT#*://}"
HOSTPORT="${HOSTPORT%%/*}"
PORT="${HOSTPORT##*:}"
[ "$PORT" = "$HOSTPORT" ] && PORT=80

step "Invoke URLs"
for stage in dev prod; do
  echo "  $stage: http://$API_ID.execute-api.localhost:$PORT/$stage/hello"
  echo "  $stage: http://$HOSTPORT/restapis/$API_ID/$stage/_user_request_/hello"
done

if command -v curl >/dev/null 2>&1; then
  for stage in dev prod; do
    step "GET /$stage/hello"
    curl -sS -i "http://$HOSTPORT/restapis/$API_ID/$stage/_user_request_/hello" | grep -iE '^(HTTP/|x-function-version)|Hello' || true
    echo
  done
fi

cat <<EOF

Next:
  # promote version 2 to prod, without redeploying the API
  aws --endpoint-url $ENDPOINT lambda update-alias --function-name $FUNCTION --name prod --function-version 2
  # or point the prod stage at another alias
  aws --endpoint-url $ENDPOINT apigateway update-stage --rest-api-id $API_ID --stage-name prod \\
    --patch-operations op=replace,path=/variables/env,value=dev
EOF
