// The ruby3.* runtimes end to end through @aws-sdk/client-lambda and the AWS CLI v2: create,
// invoke (event:, context:, puts and Logger records in LogType Tail), handler and init errors in
// AWS's Ruby shapes (Function<Class>, Init<Class>), the JSON log format, a layer's ruby/lib and gems,
// and each ruby3.x runtime.
// Skipped where the host has no ruby, unless STAGECRAFT_REQUIRE_RUBY=1 (CI sets it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { CreateFunctionCommand, GetFunctionConfigurationCommand, InvokeCommand, PublishLayerVersionCommand, type CreateFunctionCommandInput } from '@aws-sdk/client-lambda';
import { awsCli } from '../src/testing/aws.js';
import { testFunctionRole } from '../src/testing/functions.js';
import { makeZip } from '../src/testing/zip.js';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { rubySkip } from '../src/testing/ruby.js';

const env = useServer();
const dirs = useTempDirs();

const APP = `
require 'logger'
LOGGER = Logger.new($stdout)
puts 'cold start'

def lambda_handler(event:, context:)
  puts "event #{event['n']}"
  LOGGER.info('info record')
  LOGGER.warn('careful')
  raise ArgumentError, 'bad n' if event['n'] == -1
  { n: event['n'], requestId: context.aws_request_id, function: context.function_name, memory: context.memory_limit_in_mb,
    runtime: ENV['AWS_EXECUTION_ENV'], remaining: context.get_remaining_time_in_millis }
end
`;

async function create(name: string, files: Record<string, string>, extra: Partial<CreateFunctionCommandInput> = {}): Promise<void> {
  await env.lambda.send(new CreateFunctionCommand({
    FunctionName: name, Runtime: 'ruby3.3', Handler: 'lambda_function.lambda_handler', Role: testFunctionRole,
    Code: { ZipFile: await makeZip(files) }, ...extra,
  }));
}

async function invokeTail(name: string, payload: unknown) {
  const res = await env.lambda.send(new InvokeCommand({ FunctionName: name, LogType: 'Tail', Payload: Buffer.from(JSON.stringify(payload)) }));
  return { res, body: JSON.parse(Buffer.from(res.Payload!).toString()), log: Buffer.from(res.LogResult!, 'base64').toString() };
}

test('a ruby3.3 function: invoke, context, puts and Logger records in the log tail, handler errors', { skip: rubySkip }, async () => {
  await create('rb-app', { 'lambda_function.rb': APP });
  assert.equal((await env.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'rb-app' }))).Runtime, 'ruby3.3');

  const first = await invokeTail('rb-app', { n: 1 });
  assert.equal(first.res.StatusCode, 200);
  assert.equal(first.res.FunctionError, undefined, JSON.stringify(first.body));
  assert.deepEqual({ ...first.body, remaining: first.body.remaining > 0 }, {
    n: 1, requestId: first.res.$metadata.requestId, function: 'rb-app', memory: '128', runtime: 'AWS_Lambda_ruby3.3', remaining: true,
  });
  const lines = first.log.split('\n');
  assert.match(lines[0], /^INIT_START Runtime Version: ruby:3\.3\.v\d+\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:[0-9a-f]{64}$/);
  assert.equal(lines[1], 'cold start');
  assert.match(lines[2], /^START RequestId: \S+ Version: \$LATEST$/);
  assert.equal(lines[3], 'event 1');
  assert.match(lines[4], new RegExp(`^I, \\[\\S+ #\\d+\\]  INFO ${first.res.$metadata.requestId} -- : info record$`));
  assert.match(lines[5], / WARN \S+ -- : careful$/);
  assert.match(lines[6], /^END RequestId: /);
  assert.match(lines[7], /^REPORT RequestId: .*\tInit Duration: [\d.]+ ms\t$/);

  const failed = await invokeTail('rb-app', { n: -1 });
  assert.equal(failed.res.FunctionError, 'Unhandled');
  assert.deepEqual([failed.body.errorType, failed.body.errorMessage], ['Function<ArgumentError>', 'bad n']);
  assert.match(failed.body.stackTrace[0], /^\/var\/task\/lambda_function\.rb:10:in `lambda_handler'$/);
  assert.ok(failed.log.includes('Error raised from handler method\n{\n  "errorMessage": "bad n",\n  "errorType": "Function<ArgumentError>",\n  "stackTrace": [\n    "/var/task/lambda_function.rb:10:in `lambda_handler\'"\n  ]\n}\n'), failed.log);
  // Warm: the same process, no INIT_START.
  const warm = await invokeTail('rb-app', { n: 2 });
  assert.equal(warm.body.n, 2);
  assert.ok(!warm.log.includes('INIT_START'), warm.log);
});

test('init errors: a missing handler file, a raise at load time, a load-time exit', { skip: rubySkip }, async () => {
  await create('rb-missing', { 'other.rb': '' });
  const missing = await invokeTail('rb-missing', {});
  assert.equal(missing.res.FunctionError, 'Unhandled');
  assert.deepEqual([missing.body.errorType, missing.body.errorMessage], ['Init<LoadError>', 'cannot load such file -- lambda_function']);
  assert.match(missing.log, /INIT_REPORT Init Duration: [\d.]+ ms\tPhase: init\tStatus: error\tError Type: Init<LoadError>\n/);

  await create('rb-raise', { 'lambda_function.rb': "raise 'not configured'\n" });
  const raised = await invokeTail('rb-raise', {});
  assert.deepEqual([raised.body.errorType, raised.body.errorMessage, raised.body.stackTrace[0]],
    ['Init<RuntimeError>', 'not configured', "/var/task/lambda_function.rb:1:in `<top (required)>'"]);

  await create('rb-exit', { 'lambda_function.rb': 'exit 1\n' });
  assert.equal((await invokeTail('rb-exit', {})).body.errorType, 'Init<SystemExit>');
});

test('LogFormat JSON: Logger records as JSON filtered by ApplicationLogLevel, the error as one JSON record', { skip: rubySkip }, async () => {
  await create('rb-json', { 'lambda_function.rb': APP }, { LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'WARN', SystemLogLevel: 'INFO' } });
  const { log } = await invokeTail('rb-json', { n: -1 });
  const lines = log.trim().split('\n');
  const records = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  const levels = records.map((r) => r.type ?? r.level);
  assert.deepEqual(levels, ['platform.initStart', 'platform.start', 'WARN', 'ERROR', 'platform.report'], log);
  const [warn, error] = [records[2], records[3]];
  assert.equal(warn.message, 'careful');
  assert.equal(warn.requestId, records[1].record.requestId);
  assert.match(warn.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  assert.deepEqual([error.errorType, error.errorMessage, error.requestId], ['Function<ArgumentError>', 'bad n', warn.requestId]);
  // puts stays plain text, as on AWS.
  assert.ok(lines.includes('event -1'), log);
});

test("a layer's ruby/lib and ruby/gems/3.3.0 (a gem RubyGems activates) load in a ruby3.3 function", { skip: rubySkip }, async () => {
  const layer = await env.lambda.send(new PublishLayerVersionCommand({
    LayerName: 'rb-libs', CompatibleRuntimes: ['ruby3.3'],
    Content: { ZipFile: await makeZip({
      'ruby/lib/greeting.rb': "module Greeting\n  def self.text = 'hello from ruby/lib'\nend\n",
      'ruby/gems/3.3.0/specifications/shout-0.1.gemspec': "Gem::Specification.new do |s|\n  s.name = 'shout'\n  s.version = '0.1'\n  s.summary = 's'\n  s.authors = ['s']\nend\n",
      'ruby/gems/3.3.0/gems/shout-0.1/lib/shout.rb': "module Shout\n  def self.call(s) = s.upcase\nend\n",
    }) },
  }));
  await create('rb-layers', {
    'lambda_function.rb': "require 'greeting'\nrequire 'shout'\ndef lambda_handler(event:, context:) = { text: Shout.call(Greeting.text), gem: Gem.loaded_specs['shout']&.version.to_s }\n",
  }, { Layers: [layer.LayerVersionArn!] });
  const { body } = await invokeTail('rb-layers', {});
  assert.deepEqual(body, { text: 'HELLO FROM RUBY/LIB', gem: '0.1' });
});

test('ruby3.2, ruby3.3 and ruby3.4 all run (on the host ruby)', { skip: rubySkip }, async () => {
  for (const runtime of ['ruby3.2', 'ruby3.3', 'ruby3.4'] as const) {
    const name = `rb-${runtime.replace('.', '-')}`;
    await create(name, { 'app.rb': "module App\n  class Handler\n    def self.run(event:, context:) = { runtime: ENV['AWS_EXECUTION_ENV'], version: context.function_version }\n  end\nend\n" },
      { Runtime: runtime, Handler: 'app.App::Handler.run' });
    const { body } = await invokeTail(name, {});
    assert.deepEqual(body, { runtime: `AWS_Lambda_${runtime}`, version: '$LATEST' });
  }
});

test('AWS CLI v2: lambda invoke --log-type Tail on a Ruby function', { skip: rubySkip }, async () => {
  await create('rb-cli', { 'lambda_function.rb': APP });
  const dir = dirs.make('stagecraft-ruby-cli-');
  const out = join(dir, 'out.json');
  const r = await awsCli(env.url, ['lambda', 'invoke', '--function-name', 'rb-cli', '--cli-binary-format', 'raw-in-base64-out', '--payload', '{"n":5}', '--log-type', 'Tail', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json().StatusCode, 200);
  assert.equal(JSON.parse(readFileSync(out, 'utf8')).n, 5);
  assert.match(Buffer.from(r.json().LogResult, 'base64').toString(), /\nevent 5\n/);

  const failed = await awsCli(env.url, ['lambda', 'invoke', '--function-name', 'rb-cli', '--cli-binary-format', 'raw-in-base64-out', '--payload', '{"n":-1}', out]);
  assert.equal(failed.code, 0, failed.stderr);
  assert.equal(failed.json().FunctionError, 'Unhandled');
  assert.equal(JSON.parse(readFileSync(out, 'utf8')).errorType, 'Function<ArgumentError>');
});
