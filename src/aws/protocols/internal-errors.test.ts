// Each service answers a failure on our side (a handler that throws something that is not an
// AwsError) in its own AWS shape: error type, status and body as its protocol writes them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModel } from '../model.js';
import { awsError, INTERNAL_ERROR_MESSAGE, type ServiceName } from '../../core/errors.js';
import { RestJsonService } from './rest-json.js';
import { JsonRpcService } from './json-rpc.js';
import { QueryService } from './query.js';
import { answerOnce as answer, type Engine } from '../../testing/serve-engine.js';

const fail = (): never => {
  throw new Error('store failure: connection refused');
};

const restOptions = (service: ServiceName) => ({
  service,
  maxBody: () => 1024,
  tooLarge: () => awsError('RequestEntityTooLargeException', 'too large'),
  malformedBody: (detail: string) => awsError('BadRequestException', detail),
  invalid: (message: string) => awsError('BadRequestException', message),
});
const jsonOptions = (service: ServiceName) => ({
  service,
  maxBody: 1024,
  tooLarge: () => awsError('RequestEntityTooLargeException', 'too large'),
  invalid: (message: string) => awsError('ValidationException', message),
});

interface Case { service: ServiceName; engine: () => Engine; path: string; init: RequestInit; errorType: string; contentType: string; body: (text: string) => void }

/** API Gateway's REST-JSON services: `{"message": …}` with the type in `x-amzn-ErrorType` only. */
function apiGatewayCase(service: ServiceName, model: Parameters<typeof loadModel>[0], operation: string, path: string, errorType: string): Case {
  return {
    service, path, init: {}, errorType, contentType: 'application/json',
    engine: () => new RestJsonService(loadModel(model), { [operation]: fail }, restOptions(service)),
    body: (text) => assert.deepEqual(JSON.parse(text), { message: INTERNAL_ERROR_MESSAGE }),
  };
}

const cases: Case[] = [
  {
    service: 'lambda',
    engine: () => new RestJsonService(loadModel('lambda-2015-03-31'), { ListFunctions: fail }, restOptions('lambda')),
    path: '/2015-03-31/functions/', init: {},
    errorType: 'ServiceException', contentType: 'application/json',
    body: (text) => assert.deepEqual(JSON.parse(text), { Type: 'Service', Message: INTERNAL_ERROR_MESSAGE }),
  },
  apiGatewayCase('apigateway', 'apigateway-2015-07-09', 'GetRestApis', '/restapis', 'InternalFailure'),
  apiGatewayCase('apigatewayv2', 'apigatewayv2-2018-11-29', 'GetApis', '/v2/apis', 'InternalServerErrorException'),
  apiGatewayCase('apigatewaymanagementapi', 'apigatewaymanagementapi-2018-11-29', 'GetConnection', '/@connections/abc%3D', 'InternalServerErrorException'),
  {
    service: 'logs',
    engine: () => new JsonRpcService(loadModel('logs-2014-03-28'), { DescribeLogGroups: fail }, jsonOptions('logs')),
    path: '/', init: { method: 'POST', headers: { 'X-Amz-Target': 'Logs_20140328.DescribeLogGroups', 'Content-Type': 'application/x-amz-json-1.1' }, body: '{}' },
    errorType: 'ServiceUnavailableException', contentType: 'application/x-amz-json-1.1',
    body: (text) => assert.deepEqual(JSON.parse(text), { __type: 'ServiceUnavailableException', message: INTERNAL_ERROR_MESSAGE }),
  },
  {
    service: 'codedeploy',
    engine: () => new JsonRpcService(loadModel('codedeploy-2014-10-06'), { ListApplications: fail }, jsonOptions('codedeploy')),
    path: '/', init: { method: 'POST', headers: { 'X-Amz-Target': 'CodeDeploy_20141006.ListApplications', 'Content-Type': 'application/x-amz-json-1.1' }, body: '{}' },
    errorType: 'InternalFailure', contentType: 'application/x-amz-json-1.1',
    body: (text) => assert.deepEqual(JSON.parse(text), { __type: 'InternalFailure', message: INTERNAL_ERROR_MESSAGE }),
  },
  ...(['ssm', 'secretsmanager'] as const).map((service): Case => {
    const [model, target, operation, errorType] = service === 'ssm'
      ? ['ssm-2014-11-06', 'AmazonSSM', 'DescribeParameters', 'InternalServerError'] as const
      : ['secretsmanager-2017-10-17', 'secretsmanager', 'ListSecrets', 'InternalServiceError'] as const;
    return {
      service,
      engine: () => new JsonRpcService(loadModel(model), { [operation]: fail }, jsonOptions(service)),
      path: '/', init: { method: 'POST', headers: { 'X-Amz-Target': `${target}.${operation}`, 'Content-Type': 'application/x-amz-json-1.1' }, body: '{}' },
      errorType, contentType: 'application/x-amz-json-1.1',
      body: (text) => assert.deepEqual(JSON.parse(text), { __type: errorType, message: INTERNAL_ERROR_MESSAGE }),
    };
  }),
  {
    service: 'sts',
    engine: () => new QueryService(loadModel('sts-2011-06-15'), { GetCallerIdentity: fail }, 'sts'),
    path: '/', init: { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'Action=GetCallerIdentity&Version=2011-06-15' },
    errorType: 'InternalFailure', contentType: 'text/xml',
    body: (text) => {
      assert.match(text, /<Error><Type>Receiver<\/Type><Code>InternalFailure<\/Code><Message>An internal error occurred\. See the server log for details\.<\/Message><\/Error>/);
      assert.match(text, /<RequestId>req-1<\/RequestId>/);
    },
  },
  {
    service: 'iam',
    engine: () => new QueryService(loadModel('iam-2010-05-08'), { ListRoles: fail }, 'iam'),
    path: '/', init: { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'Action=ListRoles&Version=2010-05-08' },
    errorType: 'ServiceFailure', contentType: 'text/xml',
    body: (text) => assert.match(text, /<Error><Type>Receiver<\/Type><Code>ServiceFailure<\/Code><Message>An internal error occurred\. See the server log for details\.<\/Message><\/Error>/),
  },
];

test('cloudwatch: an unexpected failure is InternalServiceError on both of its wires', async () => {
  const model = loadModel('cloudwatch-2010-08-01');
  const query = await answer(new QueryService(model, { ListMetrics: fail }, 'cloudwatch'), '/', {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'Action=ListMetrics&Version=2010-08-01',
  });
  assert.equal(query.status, 500);
  assert.match(await query.text(), /<Error><Type>Receiver<\/Type><Code>InternalServiceError<\/Code><Message>An internal error occurred\. See the server log for details\.<\/Message>/);
  const json = await answer(new JsonRpcService(model, { ListMetrics: fail }, { ...jsonOptions('cloudwatch'), queryCompatible: true }), '/', {
    method: 'POST', headers: { 'X-Amz-Target': 'GraniteServiceVersion20100801.ListMetrics', 'Content-Type': 'application/x-amz-json-1.0' }, body: '{}',
  });
  assert.equal(json.status, 500);
  assert.equal(json.headers.get('x-amzn-query-error'), 'InternalServiceError;Receiver');
  assert.equal(json.headers.get('x-amzn-errortype'), 'InternalServiceFault');
  assert.deepEqual(await json.json(), { __type: 'InternalServiceFault', message: INTERNAL_ERROR_MESSAGE });
});

for (const c of cases) {
  test(`${c.service}: an unexpected failure is answered as ${c.errorType} (500)`, async () => {
    const res = await answer(c.engine(), c.path, c.init);
    assert.equal(res.status, 500);
    // The query protocol names the error in its XML document only.
    assert.equal(res.headers.get('x-amzn-errortype'), c.service === 'sts' || c.service === 'iam' ? null : c.errorType);
    assert.equal(res.headers.get('x-amzn-requestid'), 'req-1');
    assert.ok(res.headers.get('content-type')?.startsWith(c.contentType), `content type ${res.headers.get('content-type')}`);
    c.body(await res.text());
  });
}
