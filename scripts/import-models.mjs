// Copies AWS's published service models (botocore's data folder) into models/, without their
// documentation. The models are data; the generator turns them into typed tables in src/aws/generated.
// Usage: node scripts/import-models.mjs [path/to/botocore/data]
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';

const SERVICES = [
  ['lambda', '2015-03-31'],
  ['apigateway', '2015-07-09'],
  ['apigatewayv2', '2018-11-29'],
  ['logs', '2014-03-28'],
  ['sts', '2011-06-15'],
  ['codedeploy', '2014-10-06'],
  ['apigatewaymanagementapi', '2018-11-29'],
  ['cloudwatch', '2010-08-01'],
  ['cloudformation', '2010-05-15'],
  ['iam', '2010-05-08'],
  ['sqs', '2012-11-05'],
  ['sns', '2010-03-31'],
  ['events', '2015-10-07'],
  ['dynamodb', '2012-08-10'],
  ['ssm', '2014-11-06'],
  ['secretsmanager', '2017-10-17'],
  ['stepfunctions', '2016-11-23'],
];

function botocoreDataDir() {
  if (process.argv[2]) return process.argv[2];
  const out = execFileSync('python3', ['-c', 'import botocore, os; print(os.path.join(os.path.dirname(botocore.__file__), "data"))']);
  return out.toString().trim();
}

function stripDocs(value) {
  if (Array.isArray(value)) return value.map(stripDocs);
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === 'documentation' || k === 'documentationUrl' || k === 'examples') continue;
      out[k] = stripDocs(v);
    }
    return out;
  }
  return value;
}

const dataDir = botocoreDataDir();
const version = execFileSync('python3', ['-c', 'import botocore; print(botocore.__version__)']).toString().trim();
for (const [service, apiVersion] of SERVICES) {
  const base = join(dataDir, service, apiVersion, 'service-2.json');
  const raw = existsSync(base) ? readFileSync(base) : gunzipSync(readFileSync(base + '.gz'));
  const model = stripDocs(JSON.parse(raw.toString()));
  model.metadata.source = `botocore ${version}`;
  writeFileSync(join('models', `${service}-${apiVersion}.json`), JSON.stringify(model, null, 1) + '\n');
  console.log(`models/${service}-${apiVersion}.json (${Object.keys(model.operations).length} operations)`);
}

// Query-protocol editions of services AWS has since moved to JSON (SQS): the AWS CLI 2.9 and older
// SDKs still speak the query protocol, whose wire names (flattened lists and maps, error codes) only
// the older model has. Taken from the botocore the Debian awscli package bundles, when present.
const QUERY_EDITIONS = [['sqs', '2012-11-05']];
const legacyDataDir = '/usr/lib/python3/dist-packages/awscli/botocore/data';
for (const [service, apiVersion] of QUERY_EDITIONS) {
  const path = join(legacyDataDir, service, apiVersion, 'service-2.json');
  if (!existsSync(path)) continue;
  const model = stripDocs(JSON.parse(readFileSync(path, 'utf8')));
  if (model.metadata.protocol !== 'query') continue;
  model.metadata.source = 'botocore (query protocol, as the AWS CLI 2.9 speaks it)';
  writeFileSync(join('models', `${service}-query-${apiVersion}.json`), JSON.stringify(model, null, 1) + '\n');
  console.log(`models/${service}-query-${apiVersion}.json (${Object.keys(model.operations).length} operations)`);
}
