// A function written for AWS reads its configuration the usual way: AWS's SSM and Secrets Manager
// SDK clients (from layers), with no endpoint in its code, reach this server at AWS_ENDPOINT_URL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvokeCommand, PublishLayerVersionCommand } from '@aws-sdk/client-lambda';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { useServer } from '../src/testing/fixture.js';
import { secretsManagerClient, ssmClient } from '../src/testing/aws.js';
import { sdkLayerZip } from '../src/testing/sdk-layer.js';
import { createNodeFunction } from '../src/testing/functions.js';

const env = useServer();

const READER = `const { SSMClient, GetParameterCommand } = require('@aws-sdk/client-ssm');
const { SecretsManagerClient, GetSecretValueCommand } = require('@aws-sdk/client-secrets-manager');
const ssm = new SSMClient({});
const secrets = new SecretsManagerClient({});
exports.handler = async () => {
  const parameter = await ssm.send(new GetParameterCommand({ Name: '/fn/config/table', WithDecryption: true }));
  const secret = await secrets.send(new GetSecretValueCommand({ SecretId: 'fn/db' }));
  return { table: parameter.Parameter.Value, password: JSON.parse(secret.SecretString).password };
};`;

test('a Node function reads a SecureString parameter and a secret through AWS\'s SDK clients', { timeout: 120_000 }, async () => {
  const ssm = ssmClient(env.url);
  const sm = secretsManagerClient(env.url);
  try {
    await ssm.send(new PutParameterCommand({ Name: '/fn/config/table', Value: 'orders-table', Type: 'SecureString' }));
    await sm.send(new CreateSecretCommand({ Name: 'fn/db', SecretString: JSON.stringify({ user: 'app', password: 'pa55' }) }));
    const layers = [];
    for (const pkg of ['@aws-sdk/client-ssm', '@aws-sdk/client-secrets-manager']) {
      const layer = await env.lambda.send(new PublishLayerVersionCommand({ LayerName: pkg.replace(/[@/]/g, '-').replace(/^-/, ''), Content: { ZipFile: await sdkLayerZip(pkg) } }));
      layers.push(layer.LayerVersionArn!);
    }
    await createNodeFunction(env.lambda, 'config-reader', READER, { Layers: layers, Timeout: 30 });
    const out = await env.lambda.send(new InvokeCommand({ FunctionName: 'config-reader' }));
    const payload = Buffer.from(out.Payload!).toString();
    assert.equal(out.FunctionError, undefined, payload);
    assert.deepEqual(JSON.parse(payload), { table: 'orders-table', password: 'pa55' });
  } finally {
    ssm.destroy();
    sm.destroy();
  }
});
