// Bad input gets a clear, located answer and changes nothing: unknown resource types and
// properties, unsupported SAM features, missing code, invalid runtimes, malformed YAML, broken
// references. A deploy that fails half-way names the failed step and leaves the rest serving.
// Plus the manners every command shares: --help with examples, exit codes, an unreachable server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { GetAliasCommand, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { TestServer, useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { repoRoot } from '../src/testing/server.js';
import { nodeHandler, runCli, unique, writeFiles, writeProject } from '../src/cli/testing.js';

const env = useServer();
const dirs = useTempDirs();

const project = (files: Record<string, string>) => dirs.removeLater(writeProject({ 'src/index.mjs': nodeHandler('x'), ...files }));

async function deployFails(template: string, expected: RegExp[], files: Record<string, string> = {}): Promise<string> {
  const before = ((await env.lambda.send(new ListFunctionsCommand({}))).Functions ?? []).length;
  const dir = project({ 'template.yaml': template, ...files });
  const run = await runCli(['deploy'], { cwd: dir, endpoint: env.url });
  assert.equal(run.code, 1, run.output);
  for (const e of expected) assert.match(run.stderr, e);
  assert.match(run.stderr, /Nothing was deployed/);
  const after = ((await env.lambda.send(new ListFunctionsCommand({}))).Functions ?? []).length;
  assert.equal(after, before, 'nothing was created');
  return run.stderr;
}

const fnTemplate = (properties: string, extra = '') => `Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      CodeUri: src/
${properties}
${extra}`;

test('unknown resource types are named with their location; other services\' resources are skipped with a warning', async () => {
  const stderr = await deployFails(fnTemplate('', `  Table:
    Type: AWS::Kinesis::Stream
    Properties:
      Name: t
  Other:
    Type: AWS::Serverless::Functoin
`), [
    /warning: template\.yaml:10:3 \(Resources\.Table\): Table \(AWS::Kinesis::Stream\) is not deployed: Stagecraft does not run this type; provide it elsewhere/,
    /template\.yaml has 1 problem: template\.yaml:15:11 \(Resources\.Other\.Type\): unknown SAM resource type AWS::Serverless::Functoin \(did you mean 'AWS::Serverless::Function'\?\)/,
  ]);
  assert.doesNotMatch(stderr, /error: /, 'a single problem is said once');
});

test('unknown, unsupported and no-effect properties', async () => {
  const stderr = await deployFails(fnTemplate(`      Runtim: nodejs20.x
      FileSystemConfigs:
        - LocalMountPath: /mnt/efs
      Policies: AWSLambdaBasicExecutionRole
      Events:
        Stream:
          Type: Kinesis
          Properties:
            Stream: arn:aws:kinesis:us-east-1:123456789012:stream/s
        Get:
          Type: Api
          Properties:
            Path: /x
            Method: GET
            Auth:
              InvokeRole: CALLER_CREDENTIALS`), [
    /template\.yaml:9:7 \(Resources\.Fn\.Properties\.Runtim\): unknown AWS::Serverless::Function property 'Runtim' \(did you mean 'Runtime'\?\)/,
    /template\.yaml:10:7 \(Resources\.Fn\.Properties\.FileSystemConfigs\): AWS::Serverless::Function property FileSystemConfigs is not supported by stagecraft deploy/,
    /warning: template\.yaml:12:7 \(Resources\.Fn\.Properties\.Policies\): Policies has no effect: Stagecraft does not model IAM/,
    /warning: template\.yaml:14:9 \(Resources\.Fn\.Properties\.Events\.Stream\): event Stream \(Kinesis\) is not wired: Stagecraft does not run Kinesis event source mappings/,
    /template\.yaml:24:15 \(Resources\.Fn\.Properties\.Events\.Get\.Properties\.Auth\.InvokeRole\): Api event Auth property InvokeRole is not supported by stagecraft deploy: integrations call functions through their resource policies, not a role/,
  ]);
  assert.match(stderr, /has 3 problems/);
});

test('a missing code directory, an invalid runtime, a bad handler path', async () => {
  await deployFails(`Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs99.x
      Handler: index.handler
      CodeUri: ./nowhere
`, [
    /template\.yaml:6:16 \(Resources\.Fn\.Properties\.Runtime\): Runtime 'nodejs99\.x' is not a Lambda runtime \(did you mean 'nodejs2\d\.x'\?\); use one of nodejs24\.x, nodejs22\.x, nodejs20\.x/,
  ]);
  await deployFails(fnTemplate('').replace('CodeUri: src/', 'CodeUri: ./nowhere'), [
    /template\.yaml:8:16 \(Resources\.Fn\.Properties\.CodeUri\): CodeUri \.\/nowhere does not exist/,
  ]);
  await deployFails(fnTemplate('').replace('CodeUri: src/', 'CodeUri: s3://bucket/code.zip'), [/\(Resources\.Fn\.Properties\.CodeUri\): s3:\/\/bucket\/code\.zip can't be read from S3: NoSuchBucket: The specified bucket does not exist/]);
  await deployFails(fnTemplate('').replace('Runtime: nodejs20.x', 'Runtime: nodejs12.x'), [/Runtime 'nodejs12\.x' is not a Lambda runtime/]);
  await deployFails(`Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
`, [/Fn needs a Runtime \(for example nodejs20\.x or python3\.12\), here or in Globals\.Function/]);
});

test('malformed YAML is reported with its line', async () => {
  const stderr = await deployFails(`Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
     Runtime: nodejs20.x
`, [/template\.yaml:\d+:\d+: malformed YAML: /]);
  assert.doesNotMatch(stderr, /at .*\.js:\d+/, 'no stack trace');
  await deployFails('Resources:\n  A: 1\n  A: 2\n', [/malformed YAML: Map keys must be unique/]);
  await deployFails('Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: !Reff x\n', [/template\.yaml:5:22 \(Resources\.Fn\.Properties\.Runtime\): unknown YAML tag !Reff: CloudFormation tags are !Ref, !Condition, !Sub, !GetAtt/]);
});

test('broken references and unsupported intrinsic functions', async () => {
  await deployFails(fnTemplate(`      Environment:
        Variables:
          A: !Ref Stge
          B: !Sub "\${Missing}-x"
          C: !GetAtt Fn.Name
          D: !ImportValue shared-thing`, `Parameters:
  Stage:
    Type: String
    Default: dev
`), [
    /\(Resources\.Fn\.Properties\.Environment\.Variables\.A\): Ref names 'Stge', which is neither a parameter nor a resource \(did you mean 'Stage'\?\)/,
  ]);
  await deployFails(fnTemplate(`      Environment:
        Variables:
          B: !Sub "\${Missing}-x"`), [/\$\{Missing\} in Fn::Sub names nothing: no parameter, resource or variable called 'Missing'/]);
  await deployFails(fnTemplate(`      Environment:
        Variables:
          C: !GetAtt Fn.Name`), [/Fn \(AWS::Serverless::Function\) has no attribute 'Name'; it has Arn/]);
  await deployFails(fnTemplate(`      Environment:
        Variables:
          D: !ImportValue shared-thing`), [/template\.yaml:11:27 \(Resources\.Fn\.Properties\.Environment\.Variables\.D\): No export named shared-thing found/]);
  await deployFails(fnTemplate(`      Events:
        Get:
          Type: Api
          Properties:
            RestApiId: !Ref NoApi
            Path: /x
            Method: GET`), [/RestApiId must be !Ref to an AWS::Serverless::Api in this template/]);
  await deployFails(fnTemplate('', 'Rules:\n  R: {}\n'), [/the Rules section is not supported by stagecraft deploy/]);
});

test('a stagecraft.yml with mistakes is reported with locations', async () => {
  const dir = project({
    'template.yaml': fnTemplate(''),
    'stagecraft.yml': `Template: template.yaml
Apis:
  NoSuchApi:
    Stagez: {}
`,
  });
  const run = await runCli(['deploy'], { cwd: dir, endpoint: env.url });
  assert.equal(run.code, 1);
  assert.match(run.stderr, /stagecraft\.yml:4:5 \(Apis\.NoSuchApi\.Stagez\): unknown Apis\.NoSuchApi key 'Stagez' \(did you mean 'Stages'\?\)/);
});

test('a deploy that fails half-way says which step failed and leaves what was deployed serving', async () => {
  const fn = unique('keep');
  const ok = `Transform: AWS::Serverless-2016-10-31
Resources:
  Good:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: ${fn}
      Runtime: nodejs20.x
      Handler: index.handler
      CodeUri: src/
      AutoPublishAlias: live
`;
  const dir = project({ 'template.yaml': ok });
  assert.equal((await runCli(['deploy'], { cwd: dir, endpoint: env.url })).code, 0);

  writeFiles(dir, { 'template.yaml': `${ok}  Bad:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: ${fn}-bad
      Runtime: nodejs20.x
      Handler: index.handler
      CodeUri: src/
      Role: not-a-role
` });
  const run = await runCli(['deploy'], { cwd: dir, endpoint: env.url });
  assert.equal(run.code, 1, run.output);
  assert.match(run.stdout, /✗ Bad\s+creating function .*-bad failed/);
  assert.match(run.stderr, new RegExp(`stagecraft deploy: deploy failed at Bad while creating function ${fn}-bad: ValidationException: .*role.*Nothing was changed; nothing after this step was attempted, and what was deployed before keeps serving\\. Fix the cause and run \`stagecraft deploy\` again\\.`));
  const alias = await env.lambda.send(new GetAliasCommand({ FunctionName: fn, Name: 'live' }));
  assert.equal(alias.FunctionVersion, '1');
  const invoked = await runCli(['invoke', `${fn}:live`], { endpoint: env.url });
  assert.equal(invoked.code, 0, invoked.output);
});

test('every command has --help with examples; usage errors exit 2', async () => {
  for (const command of ['init', 'serve', 'deploy', 'promote', 'rollback', 'delete', 'status', 'invoke', 'logs']) {
    const help = await runCli([command, '--help']);
    assert.equal(help.code, 0, `${command} --help`);
    assert.match(help.stdout, new RegExp(`^Usage: stagecraft ${command}`), command);
    assert.match(help.stdout, /Examples:\n  stagecraft /, `${command} --help has examples`);
  }
  const top = await runCli(['--help']);
  assert.equal(top.code, 0);
  assert.match(top.stdout, /deploy\s+Deploy an AWS SAM template/);
  const unknown = await runCli(['deplyo']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command 'deplyo'/);
  const badOption = await runCli(['status', '--verbose']);
  assert.equal(badOption.code, 2);
  assert.match(badOption.stderr, /stagecraft status: Unknown option '--verbose'\. Run `stagecraft status --help` for its options\./);
  const noTemplate = await runCli(['deploy'], { cwd: project({}) });
  assert.equal(noTemplate.code, 2);
  assert.match(noTemplate.stderr, /there is no stagecraft\.yml or template\.yaml in this directory\. Pass -t TEMPLATE/);
});

test('an unreachable server is one sentence with what to do', async () => {
  for (const args of [['status'], ['invoke', 'x'], ['logs', 'x'], ['promote', 'x', '--from', 'a', '--to', 'b'], ['promote', '--api', 'x', '--from', 'a', '--to', 'b'], ['rollback', '--api', 'x', '--stage', 'prod'], ['delete', '--stack-name', 'x', '--no-prompts']]) {
    const run = await runCli([...args, '--endpoint-url', 'http://127.0.0.1:9']);
    assert.equal(run.code, 1, args.join(' '));
    assert.match(run.stderr, /cannot reach a Stagecraft server at http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\)\. Start one with `stagecraft serve`, or point --endpoint-url/);
    assert.equal(run.stderr.trim().split('\n').length, 1, 'one line');
  }
  const deploy = await runCli(['deploy', '--endpoint-url', 'http://127.0.0.1:9'], { cwd: project({ 'template.yaml': fnTemplate('') }) });
  assert.equal(deploy.code, 1);
  assert.match(deploy.stderr, /cannot reach a Stagecraft server at http:\/\/127\.0\.0\.1:9/);
});

test('no command is a usage error; --version and help <command>; serve\'s own usage errors are one line, exit code 2', async () => {
  const none = await runCli([]);
  assert.equal(none.code, 2);
  assert.equal(none.stdout, '', 'nothing on stdout for a script to mistake for output');
  assert.match(none.stderr, /^Usage: stagecraft <command>/);
  const version = await runCli(['--version']);
  assert.equal(version.code, 0);
  assert.equal(version.stdout, `stagecraft ${JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version}\n`);
  const help = await runCli(['help', 'promote']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: stagecraft promote <function>/, '`help <command>` is `<command> --help`');
  const helpUnknown = await runCli(['help', 'deplyo']);
  assert.equal(helpUnknown.code, 2);
  assert.match(helpUnknown.stderr, /unknown command 'deplyo'/);
  for (const [args, expected] of [
    [['serve', '--bogus'], /^stagecraft serve: Unknown option '--bogus'\. Run `stagecraft serve --help` for its options\.\n$/],
    [['serve', '--port'], /^stagecraft serve: Option '--port <value>' argument missing\. Run `stagecraft serve --help`/],
    [['serve', 'extra'], /^stagecraft serve: Unexpected argument 'extra'/],
    [['serve', '--max-request-memory', '0'], /^stagecraft serve: --max-request-memory must be a whole number of MiB \(at least 1\), e\.g\. 1024, got '0'\.\n$/],
  ] as const) {
    const run = await runCli([...args]);
    assert.equal(run.code, 2, args.join(' '));
    assert.match(run.stderr, expected);
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
  }
});

test('malformed values are usage errors (exit 2), found before anything is sent', async () => {
  // An endpoint nothing listens on: a usage error must be reported before any connection.
  const offline = { endpoint: 'http://127.0.0.1:9' };
  for (const [args, expected] of [
    [['promote', 'fn', '--from', 'dev', '--to', 'prod', '--canary', 'abc'], /--canary 'abc' is not a share of traffic between 0% and 100%/],
    [['promote', '--api', 'a', '--from', 'dev', '--to', 'prod', '--canary', '100%'], /--canary '100%' is not a share of traffic/],
    [['rollback', 'fn', '--alias', 'prod', '--to', 'abc'], /--to abc is not a version number\. Pass the version to return to, e\.g\. --to 3\./],
  ] as const) {
    const run = await runCli([...args], offline);
    assert.equal(run.code, 2, `${args.join(' ')}: ${run.output}`);
    assert.match(run.stderr, expected);
    assert.doesNotMatch(run.stderr, /ECONNREFUSED/);
  }
});

test('an endpoint that answers, but not as AWS does, is named as such', async () => {
  // Another web server on the port the CLI was pointed at (say, a dev server on 8000).
  const other = createServer((req, res) => {
    req.resume();
    res.writeHead(req.method === 'GET' ? 404 : 501, { 'content-type': 'text/html; charset=utf-8' }).end('<!DOCTYPE html><html><body>Not here</body></html>');
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  try {
    for (const args of [['status'], ['invoke', 'fn'], ['logs', 'fn'], ['promote', 'fn', '--from', 'dev', '--to', 'prod'], ['delete', '--stack-name', 'x', '--no-prompts']]) {
      const run = await runCli(args, { endpoint: url });
      assert.equal(run.code, 1, args.join(' '));
      assert.match(run.stderr, new RegExp(`^stagecraft ${args[0]}: the server at ${url.replace(/\./g, '\\.')} answered, but not as an AWS API does \\(HTTP \\d+, text/html\\): it is not a Stagecraft server\\. Point --endpoint-url`));
      assert.equal(run.stderr.trim().split('\n').length, 1, 'one line, no SDK internals');
    }
    const deploy = await runCli(['deploy'], { endpoint: url, cwd: project({ 'template.yaml': fnTemplate('') }) });
    assert.equal(deploy.code, 1);
    assert.match(deploy.stderr, /answered, but not as an AWS API does \(HTTP 501, text\/html\)/);
    const json = await runCli(['status', '--json'], { endpoint: url });
    assert.equal(json.json().error.type, 'NotAnAwsAnswer');
  } finally {
    other.close();
  }
});

test('a handler the runtime could not load is a warning at its line; a JSON syntax error is said once', async () => {
  const dir = project({
    'template.yaml': `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Handler: index
Resources:
  Bare:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      CodeUri: src/
  Typo:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.lambda_handler
      CodeUri: src/
  RubyTypo:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: ruby3.3
      Handler: lib/app.App::Handler.run
      CodeUri: src/
`,
  });
  const check = await runCli(['deploy', '--check'], { cwd: dir });
  assert.equal(check.code, 0, check.output);
  assert.match(check.output, /warning: template\.yaml:4:14 \(Globals\.Function\.Handler\): Handler index is not module\.function \(e\.g\. index\.handler\): invocations would fail with Runtime\.MalformedHandlerName/);
  assert.match(check.output, /warning: template\.yaml:15:16 \(Resources\.Typo\.Properties\.Handler\): Handler app\.lambda_handler needs app\.py in src, which has no such file: invocations would fail with Runtime\.ImportModuleError/);
  assert.match(check.output, /\(Resources\.RubyTypo\.Properties\.Handler\): Handler lib\/app\.App::Handler\.run needs lib\/app\.rb in src, which has no such file: invocations would fail with Init<LoadError>/);

  const json = project({ 'template.json': '{"Resources": {\n  "Fn": {"Type": "AWS::Serverless::Function",\n' });
  const run = await runCli(['deploy', '-t', 'template.json', '--check'], { cwd: json });
  assert.equal(run.code, 1);
  assert.match(run.stderr, /^stagecraft deploy: template\.json has 1 problem: template\.json:\d+:\d+: malformed JSON: .*Nothing was deployed/);
  assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
});

test('credentials a signature-checking server refuses: the AWS error type and message, and what to check', async () => {
  const strict = await TestServer.start({ env: { STAGECRAFT_CREDENTIALS: 'AKIDCLICHECK:right-secret' } });
  try {
    const status = await runCli(['status'], { endpoint: strict.url });
    assert.equal(status.code, 1);
    assert.match(status.stderr, /^stagecraft status: UnrecognizedClientException: The security token included in the request is invalid\. Check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY for this server\.\n$/);
    // deploy asks STS first (query protocol, answered in XML): the same manners.
    const deploy = await runCli(['deploy'], { endpoint: strict.url, cwd: project({ 'template.yaml': fnTemplate('') }) });
    assert.equal(deploy.code, 1);
    assert.match(deploy.stderr, /^stagecraft deploy: InvalidClientTokenId: The security token included in the request is invalid\. Check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY for this server\.\n$/);
  } finally {
    await strict.stop();
  }
});

test('endpoint and region from flags and AWS_* variables, as documented: an empty variable is unset, a bad value is named by its source', async () => {
  // delete names the region it looked in: "Stack x does not exist on URL (region): nothing to delete."
  const regionOf = async (vars: Record<string, string>, args: string[] = []) => {
    const run = await runCli(['delete', '--stack-name', unique('none'), '--no-prompts', ...args], { endpoint: env.url, env: vars });
    assert.equal(run.code, 0, run.output);
    return /\((\w+-\w+-\d)\): nothing to delete/.exec(run.stdout)?.[1];
  };
  assert.equal(await regionOf({ AWS_REGION: 'eu-central-1', AWS_DEFAULT_REGION: 'eu-west-1' }), 'eu-central-1');
  assert.equal(await regionOf({ AWS_REGION: '', AWS_DEFAULT_REGION: 'eu-west-1' }), 'eu-west-1', 'an empty AWS_REGION is unset');
  assert.equal(await regionOf({ AWS_REGION: 'eu-central-1' }, ['--region', 'ap-south-1']), 'ap-south-1', '--region wins');

  const badEndpoint = await runCli(['status'], { env: { AWS_ENDPOINT_URL: 'localhost:4566' } });
  assert.equal(badEndpoint.code, 2);
  assert.match(badEndpoint.stderr, /^stagecraft status: AWS_ENDPOINT_URL 'localhost:4566' is not an http:\/\/ or https:\/\/ URL\./);
  const badRegion = await runCli(['status'], { endpoint: env.url, env: { AWS_REGION: 'Europe' } });
  assert.equal(badRegion.code, 2);
  assert.match(badRegion.stderr, /^stagecraft status: AWS_REGION 'Europe' is not a region name such as us-east-1\./);
  const badFlag = await runCli(['status', '--endpoint-url', 'ftp://x'], { endpoint: env.url });
  assert.match(badFlag.stderr, /^stagecraft status: --endpoint-url 'ftp:\/\/x' is not an http:\/\/ or https:\/\/ URL/);
});
