#!/usr/bin/env bash
# A WebSocket API with the AWS CLI alone, against a running Stagecraft server:
#
#   stagecraft serve &                       # in another terminal
#   ./walkthrough.sh                         # STAGECRAFT_ENDPOINT=http://localhost:4566 by default
#
# It creates the function websocket-echo (src/index.mjs), a WebSocket API selecting routes by the
# messages' "action", the routes $connect, $disconnect, echo and $default (two-way) and shout (answers
# through @connections), lets API Gateway invoke the function, and deploys the stage dev. Then it
# connects with client.mjs (Node.js and the project's `ws`): refused without a name, then echoing.
# Running it again starts over (the function and the API it made before are deleted first).
set -euo pipefail

ENDPOINT="${STAGECRAFT_ENDPOINT:-http://localhost:4566}"
REGION="${AWS_REGION:-${AWS_DEFAULT_REGION:-us-east-1}}"
ACCOUNT="${STAGECRAFT_ACCOUNT:-000000000000}"
FUNCTION=websocket-echo
API_NAME=websocket-echo-api
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
for id in $(awsx apigatewayv2 get-apis --query "Items[?Name=='$API_NAME'].ApiId" --output text); do
  awsx apigatewayv2 delete-api --api-id "$id"
done

step "Creating $FUNCTION"
awsx lambda create-function --function-name "$FUNCTION" --runtime nodejs20.x --handler index.handler \
  --role "arn:aws:iam::$ACCOUNT:role/websocket-echo-role" --zip-file "fileb://$WORK/function.zip" \
  --query FunctionArn --output text
awsx lambda wait function-active-v2 --function-name "$FUNCTION"

step "WebSocket API $API_NAME, routes selected by \$request.body.action"
API_ID="$(awsx apigatewayv2 create-api --name "$API_NAME" --protocol-type WEBSOCKET \
  --route-selection-expression '$request.body.action' --query ApiId --output text)"
INTEGRATION_ID="$(awsx apigatewayv2 create-integration --api-id "$API_ID" --integration-type AWS_PROXY \
  --integration-uri "arn:aws:lambda:$REGION:$ACCOUNT:function:$FUNCTION" --query IntegrationId --output text)"
for key in '$connect' '$disconnect' shout; do
  awsx apigatewayv2 create-route --api-id "$API_ID" --route-key "$key" --target "integrations/$INTEGRATION_ID" --query RouteKey --output text
done
# Two-way routes: a route response sends the function's answer back to the client.
for key in echo '$default'; do
  ROUTE_ID="$(awsx apigatewayv2 create-route --api-id "$API_ID" --route-key "$key" --target "integrations/$INTEGRATION_ID" \
    --route-response-selection-expression '$default' --query RouteId --output text)"
  awsx apigatewayv2 create-route-response --api-id "$API_ID" --route-id "$ROUTE_ID" --route-response-key '$default' \
    --query RouteResponseKey --output text >/dev/null
  echo "$key (two-way)"
done

step "Letting API Gateway invoke $FUNCTION for every route and stage of the API"
awsx lambda add-permission --function-name "$FUNCTION" --statement-id "apigateway-websocket" \
  --action lambda:InvokeFunction --principal apigateway.amazonaws.com \
  --source-arn "arn:aws:execute-api:$REGION:$ACCOUNT:$API_ID/*" --query Statement --output text

step "Stage dev, deployed automatically"
awsx apigatewayv2 create-stage --api-id "$API_ID" --stage-name dev --auto-deploy --query StageName --output text

HOSTPORT="${ENDPOINT#*://}"
HOSTPORT="${HOSTPORT%%/*}"
PORT="${HOSTPORT##*:}"
[ "$PORT" = "$HOSTPORT" ] && PORT=80
URL="ws://$HOSTPORT/restapis/$API_ID/dev/_user_request_"

step "WebSocket URLs of the stage"
echo "  ws://$API_ID.execute-api.localhost:$PORT/dev"
echo "  $URL"
echo "  callback URL (@connections): http://$HOSTPORT/restapis/$API_ID/dev/_user_request_"

if command -v node >/dev/null 2>&1; then
  step "Connecting without a name: \$connect refuses"
  node "$HERE/client.mjs" "$URL" || true
  step "Connecting as ada"
  node "$HERE/client.mjs" "$URL?name=ada" '{"action":"echo","text":"hello"}' '{"action":"shout","text":"hello"}' 'no action'
fi

cat <<EOF

Next:
  # send a connected client a message from anywhere (AWS CLI v2; v1 takes --data as is, without --cli-binary-format)
  aws --endpoint-url http://$HOSTPORT/restapis/$API_ID/dev/_user_request_ apigatewaymanagementapi post-to-connection \\
    --connection-id <id> --data 'hi' --cli-binary-format raw-in-base64-out
  # the function's log: \$connect, messages, and the close code and reason of \$disconnect (AWS CLI v2)
  aws --endpoint-url $ENDPOINT logs tail /aws/lambda/$FUNCTION
EOF
