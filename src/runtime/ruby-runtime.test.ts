// The ruby3.* runtimes end to end (skipped where the host has no ruby, unless STAGECRAFT_REQUIRE_RUBY=1).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmod } from 'node:fs/promises';
import * as path from 'node:path';
import type { EnvironmentPool } from './environment-pool.js';
import { TempDirs, TestPools, json, request, specFor } from './testing.js';
import { rubySkip } from '../testing/ruby.js';

const dirs = new TempDirs();
const pools = new TestPools(dirs, { maxEnvironments: 8 });

let pool: EnvironmentPool;
before(async () => {
  pool = await pools.start();
});
after(async () => {
  await pools.closeAll();
  await dirs.cleanup();
});

const ruby = (files: Record<string, string>, overrides: Parameters<typeof specFor>[1] = {}) =>
  dirs.code(files).then((code) => specFor(code, { runtime: 'ruby3.3', handler: 'lambda_function.lambda_handler', ...overrides }));

const APP = `
require 'json'
require 'logger'
ID = rand
LOGGER = Logger.new($stdout)
puts "init puts"

def lambda_handler(event:, context:)
  puts "hello #{event['n']}"
  puts "two\\nlines"
  $stdout.write("written\\n")
  LOGGER.info("via logger")
  raise ArgumentError, 'bad value' if event['fail']
  exit 3 if event['exit']
  exit!(4) if event['crash']
  undefined_thing if event['name_error']
  {
    id: ID, event: event,
    ctx: { function_name: context.function_name, function_version: context.function_version,
           memory_limit_in_mb: context.memory_limit_in_mb, aws_request_id: context.aws_request_id,
           invoked_function_arn: context.invoked_function_arn, log_group_name: context.log_group_name,
           log_stream_name: context.log_stream_name, remaining: context.get_remaining_time_in_millis,
           deadline_ms: context.deadline_ms, client_context: context.client_context, identity: context.identity },
    env: %w[AWS_EXECUTION_ENV AWS_LAMBDA_FUNCTION_NAME _HANDLER LAMBDA_TASK_ROOT RUBYLIB GEM_PATH _STAGECRAFT_OUT_FD _X_AMZN_TRACE_ID].to_h { |k| [k, ENV[k]] },
  }
end
`;

describe('ruby runtime', { skip: rubySkip }, () => {
  it('runs a handler with event:, context:, logs and warm reuse', async () => {
    const spec = await ruby({ 'lambda_function.rb': APP });
    const r = await pool.invoke(spec, request({ n: 1 }, { requestId: 'rb-1', clientContext: Buffer.from('{"custom":{"k":"v"}}').toString('base64') }));
    const p = json(r.payload);
    assert.equal(r.functionError, undefined, r.payload.toString());
    assert.deepEqual(p.event, { n: 1 });
    const { remaining, deadline_ms: deadline, ...fields } = p.ctx;
    assert.deepEqual(fields, {
      function_name: 'test-fn', function_version: '$LATEST', memory_limit_in_mb: '128', aws_request_id: 'rb-1',
      invoked_function_arn: 'arn:aws:lambda:us-east-1:000000000000:function:test-fn', log_group_name: '/aws/lambda/test-fn',
      log_stream_name: r.logStreamName, client_context: { custom: { k: 'v' } }, identity: null,
    });
    assert.ok(remaining > 2000 && remaining <= 3000, String(remaining));
    assert.ok(Math.abs(deadline - Date.now() - 3000) < 1000);
    assert.equal(p.env.AWS_EXECUTION_ENV, 'AWS_Lambda_ruby3.3');
    assert.equal(p.env._HANDLER, 'lambda_function.lambda_handler');
    assert.equal(p.env._STAGECRAFT_OUT_FD, null);
    assert.match(p.env._X_AMZN_TRACE_ID, /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};/);
    const task = p.env.LAMBDA_TASK_ROOT;
    assert.match(p.env.RUBYLIB, new RegExp(`^${task}:.*/lib:.*/ruby/lib$`));
    assert.match(p.env.GEM_PATH, new RegExp(`^${task}/vendor/bundle/ruby/3\\.3\\.0:.*/ruby/gems/3\\.3\\.0:`));
    // Kernel#puts: one event per call (lines joined), as AWS's telemetry fd makes them.
    assert.ok(r.logLines.includes('init puts\n'), r.logLines.join('|'));
    assert.ok(r.logLines.includes('hello 1\n'));
    assert.ok(r.logLines.includes('two\nlines\n'), r.logLines.join('|'));
    assert.ok(r.logLines.includes('written\n'));
    assert.ok(r.logLines.some((l) => /^I, \[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6} #\d+\] {2}INFO rb-1 -- : via logger\n$/.test(l)), r.logLines.join('|'));
    assert.match(r.logLines[0], /^INIT_START Runtime Version: ruby:3\.3\.v\d+/);

    const again = await pool.invoke(spec, request({ n: 2 }));
    assert.equal(json(again.payload).id, p.id);
    assert.notEqual(json(again.payload).env._X_AMZN_TRACE_ID, p.env._X_AMZN_TRACE_ID);
  });

  it('reports errors as AWS does: Function<Class>, critical ones (SystemExit too) end the process after their answer', async () => {
    const spec = await ruby({ 'lambda_function.rb': APP });
    const failed = await pool.invoke(spec, request({ fail: true }, { requestId: 'rb-fail' }));
    assert.equal(failed.functionError, 'Unhandled');
    const p = json(failed.payload);
    assert.deepEqual([p.errorType, p.errorMessage], ['Function<ArgumentError>', 'bad value']);
    assert.match(p.stackTrace[0], /lambda_function\.rb:\d+:in `lambda_handler'$/);
    assert.ok(p.stackTrace.every((l: string) => !l.includes('bootstrap')), p.stackTrace.join('\n'));
    assert.ok(failed.logLines.includes('Error raised from handler method\n'), failed.logLines.join('|'));
    assert.ok(failed.logLines.some((l) => l.startsWith('{\n  "errorMessage": "bad value",\n  "errorType": "Function<ArgumentError>",\n  "stackTrace": [\n')));
    const id = json((await pool.invoke(spec, request({}))).payload).id;

    // NameError (and NoMethodError, and non-StandardError exceptions such as SystemExit) are
    // critical for AWS's runtime: answered, then the process ends.
    const nameError = await pool.invoke(spec, request({ name_error: true }));
    assert.equal(json(nameError.payload).errorType, 'Function<NameError>');
    assert.match(json(nameError.payload).errorMessage, /^undefined local variable or method `undefined_thing' for [^\n]+$/, 'no error_highlight snippet');
    assert.ok(nameError.logLines.includes('Critical exception from handler\n'), nameError.logLines.join('|'));
    const exited = json((await pool.invoke(spec, request({ exit: true }))).payload);
    assert.deepEqual([exited.errorType, exited.errorMessage], ['Function<SystemExit>', 'exit']);
    const after = json((await pool.invoke(spec, request({}))).payload);
    assert.notEqual(after.id, id, 'a new process after a critical error');

  });

  it('reports init errors as Init<Class>', async () => {
    const missing = await pool.invoke(await ruby({ 'other.rb': '' }), request({}));
    const m = json(missing.payload);
    assert.deepEqual([m.errorType, m.errorMessage], ['Init<LoadError>', 'cannot load such file -- lambda_function']);
    assert.ok(missing.logLines.includes('Init error when loading handler lambda_function.lambda_handler\n'), missing.logLines.join('|'));

    const raised = json((await pool.invoke(await ruby({ 'lambda_function.rb': "raise 'boom at load'\n" }), request({}))).payload);
    assert.deepEqual([raised.errorType, raised.errorMessage], ['Init<RuntimeError>', 'boom at load']);
    assert.match(raised.stackTrace[0], /lambda_function\.rb:1:in `<top \(required\)>'$/);

    const syntax = json((await pool.invoke(await ruby({ 'lambda_function.rb': 'def lambda_handler(event:, context:\n' }), request({}))).payload);
    assert.equal(syntax.errorType, 'Init<SyntaxError>');

    const exited = await pool.invoke(await ruby({ 'lambda_function.rb': 'exit 1\n' }), request({}));
    assert.equal(json(exited.payload).errorType, 'Init<SystemExit>');

    const malformed = json((await pool.invoke(await ruby({ 'lambda_function.rb': '' }, { handler: 'nodot' }), request({}))).payload);
    assert.equal(malformed.errorType, 'Init<ArgumentError>');
    assert.match(malformed.errorMessage, /^Invalid handler \["nodot"\], must be of form FILENAME\.METHOD or FILENAME\.CLASS\.METHOD/);

    const notFound = json((await pool.invoke(await ruby({ 'lambda_function.rb': '' }), request({}))).payload);
    assert.equal(notFound.errorType, 'Function<NoMethodError>');
    assert.match(notFound.errorMessage, /^undefined method `lambda_handler'/);
  });

  it("calls Module::Class.method handlers in subdirectories, returns IO content as is and finds the code directory's own files on RUBYLIB", async () => {
    const spec = await ruby({
      'lib/app/handler.rb': "require 'helper'\nmodule App\n  class Handler\n    def self.process(event:, context:)\n      { helper: Helper.call, n: event['n'] }\n    end\n  end\nend\n",
      'helper.rb': "module Helper\n  def self.call = 'from RUBYLIB'\nend\n",
    }, { handler: 'lib/app/handler.App::Handler.process' });
    assert.deepEqual(json((await pool.invoke(spec, request({ n: 7 }))).payload), { helper: 'from RUBYLIB', n: 7 });

    const io = await ruby({ 'lambda_function.rb': "require 'stringio'\ndef lambda_handler(event:, context:) = StringIO.new('plain text')\n" });
    assert.equal((await pool.invoke(io, request({}))).payload.toString(), 'plain text');
  });

  it('keeps the trace id out of the C library (which keeps every value) and works unsandboxed', async () => {
    const spec = await ruby({
      'lambda_function.rb': [
        "require 'fiddle'",
        "GETENV = Fiddle::Function.new(Fiddle::Handle::DEFAULT['getenv'], [Fiddle::TYPE_VOIDP], Fiddle::TYPE_VOIDP)",
        'def lambda_handler(event:, context:)',
        "  c = GETENV.call('_X_AMZN_TRACE_ID')",
        "  { trace: ENV['_X_AMZN_TRACE_ID'], fetched: ENV.fetch('_X_AMZN_TRACE_ID'), key: ENV.key?('_X_AMZN_TRACE_ID'), c: c.null? ? nil : c.to_s }",
        'end',
        '',
      ].join('\n'),
    });
    const a = json((await pool.invoke(spec, request({}))).payload);
    assert.match(a.trace, /^Root=1-/);
    assert.equal(a.fetched, a.trace);
    assert.equal(a.key, true);
    assert.equal(a.c, null);

    const unsandboxed = await pools.start({ sandbox: 'off' });
    const app = await ruby({ 'lambda_function.rb': APP });
    const r = await unsandboxed.invoke(app, request({ n: 3 }));
    assert.equal(json(r.payload).event.n, 3);
    assert.ok(r.logLines.includes('hello 3\n'));
    assert.equal(json((await unsandboxed.invoke(app, request({ fail: true }))).payload).errorType, 'Function<ArgumentError>');
  });

  // Sandboxed (bubblewrap where the host has it) and not: timeouts, a crash and the memory size as for the other runtimes.
  for (const sandbox of ['auto', 'off'] as const) {
    it(`times out, crashes and stops functions over their memory size (sandbox ${sandbox})`, async () => {
      const target = sandbox === 'auto' ? pool : await pools.start({ sandbox });
      const where = json((await target.invoke(await ruby({ 'lambda_function.rb': 'def lambda_handler(event:, context:) = ENV["LAMBDA_TASK_ROOT"]\n' }), request({}))).payload);
      if (sandbox === 'auto' && target.sandboxStatus().mode === 'bubblewrap') assert.equal(where, '/var/task');
      if (sandbox === 'off') assert.notEqual(where, '/var/task');

      const slow = await ruby({ 'lambda_function.rb': 'def lambda_handler(event:, context:)\n  sleep 5\nend\n' }, { timeout: 1 });
      const timedOut = await target.invoke(slow, request({}, { requestId: 'rb-slow' }));
      assert.deepEqual(json(timedOut.payload), { errorType: 'Sandbox.Timedout', errorMessage: 'RequestId: rb-slow Error: Task timed out after 1.00 seconds' });

      const crash = await target.invoke(await ruby({ 'lambda_function.rb': APP }), request({ crash: true }, { requestId: 'rb-crash' }));
      assert.deepEqual(json(crash.payload), { errorType: 'Runtime.ExitError', errorMessage: 'RequestId: rb-crash Error: Runtime exited with error: exit status 4' });

      const hungry = await ruby({ 'lambda_function.rb': "def lambda_handler(event:, context:)\n  a = []\n  loop { a << ('x' * 1_000_000) }\nend\n" }, { timeout: 10 });
      const oom = await target.invoke(hungry, request({}));
      assert.equal(json(oom.payload).errorType, 'Runtime.OutOfMemory');
    });
  }

  // A layer's ruby/lib (RUBYLIB) and ruby/gems/<version> (GEM_PATH, a gem RubyGems activates), and
  // a wrapper script: sandboxed (/opt mounted) and not (the layers' host directory on the paths).
  for (const sandbox of ['auto', 'off'] as const) {
    it(`finds layers' ruby/lib and gems and runs AWS_LAMBDA_EXEC_WRAPPER (sandbox ${sandbox})`, async () => {
      const target = sandbox === 'auto' ? pool : await pools.start({ sandbox });
      const opt = await dirs.code({
        'ruby/lib/layer_lib.rb': "module LayerLib\n  TEXT = 'from ruby/lib'\nend\n",
        'ruby/gems/3.3.0/specifications/tinygem-1.0.gemspec': "Gem::Specification.new do |s|\n  s.name = 'tinygem'\n  s.version = '1.0'\n  s.summary = 't'\n  s.authors = ['t']\n  s.files = ['lib/tinygem.rb']\nend\n",
        'ruby/gems/3.3.0/gems/tinygem-1.0/lib/tinygem.rb': "module TinyGem\n  TEXT = 'from a gem'\nend\n",
      });
      const code = await dirs.code({
        'lambda_function.rb': "require 'layer_lib'\nrequire 'tinygem'\ndef lambda_handler(event:, context:) = [LayerLib::TEXT, TinyGem::TEXT, ENV['WRAPPED_BY']]\n",
        wrapper: '#!/bin/sh\nexport WRAPPED_BY=task-wrapper\nexec "$@"\n',
      });
      await chmod(path.join(code, 'wrapper'), 0o755);
      const spec = specFor(code, { runtime: 'ruby3.3', handler: 'lambda_function.lambda_handler', optDir: opt, environment: { AWS_LAMBDA_EXEC_WRAPPER: '/var/task/wrapper' } });
      const r = await target.invoke(spec, request({}));
      assert.deepEqual(json(r.payload), ['from ruby/lib', 'from a gem', 'task-wrapper'], r.logLines.join(''));
    });
  }
});
