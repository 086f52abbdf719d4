// Ruby functions served by pre-started cells (cell-stock.ts, bootstraps/ruby/stagecraft_cell.rb):
// the first invoke comes from a process started before the function was ever invoked, which then
// looks exactly like a fresh process of that function (variables, load path, gem paths, context,
// working directory, layers) and carries nothing of the function a previous cell served.
// Real processes, sandboxed when bubblewrap works here, and unsandboxed. Skipped where the host has
// no ruby, unless STAGECRAFT_REQUIRE_RUBY=1.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmod } from 'node:fs/promises';
import * as path from 'node:path';
import type { EnvironmentPool } from './environment-pool.js';
import { TempDirs, TestPools, json, readyCells, request, sleep, specFor } from './testing.js';
import type { FunctionSpec, InvokeResult } from './types.js';
import { rubySkip } from '../testing/ruby.js';

const dirs = new TempDirs();
const pools = new TestPools(dirs, { maxEnvironments: 6 });
after(async () => {
  await pools.closeAll();
  await dirs.cleanup();
});

const RUBY_CELLS = { prewarmFor: [{ runtime: 'ruby3.3', memorySize: 128 }] };

/**
 * What the function sees, with the values that differ by environment left out and its task root
 * named (unsandboxed, a cell's task root is a directory of its own). `started_at`: when its process
 * started (epoch ms, from /proc, to ~10 ms).
 */
const PROBE = `
require 'etc'
require 'logger'
require 'tmpdir'
LOGGER = Logger.new($stdout)
puts "init of #{ENV['AWS_LAMBDA_FUNCTION_NAME']}"

def start_ticks
  File.read('/proc/self/stat').rpartition(')').last.split[19].to_i
end

def started_at
  since_boot = File.read('/proc/uptime').split.first.to_f
  ((Time.now.to_f - since_boot + start_ticks.fdiv(Etc.sysconf(Etc::SC_CLK_TCK))) * 1000).round
end

def named(value)
  value.to_s.gsub(ENV['LAMBDA_TASK_ROOT'], '<task>')
end

def lambda_handler(event:, context:)
  LOGGER.info('via logger')
  leftovers = { global: $left_by_a, constant: defined?(LEFT_BY_A) ? LEFT_BY_A : nil,
                tmp: Dir.children(Dir.tmpdir).grep(/left-by-a/) }
  $left_by_a = 'a global' if event['leave']
  Object.const_set(:LEFT_BY_A, 'a constant') if event['leave'] && !defined?(LEFT_BY_A)
  File.write(File.join(Dir.tmpdir, 'left-by-a'), 'x') if event['leave']
  other = begin
    Dir.children(event['peek']).sort
  rescue SystemCallError
    'unreadable'
  end
  env = ENV.to_h.reject { |k, _| %w[AWS_LAMBDA_RUNTIME_API AWS_LAMBDA_LOG_STREAM_NAME _X_AMZN_TRACE_ID TMPDIR].include?(k) }
  {
    started_at: started_at, process: [Process.pid, start_ticks], task_root: ENV['LAMBDA_TASK_ROOT'], verbose: $VERBOSE.inspect, leftovers: leftovers, other: other,
    same: {
      env: env.transform_values { |v| named(v) }, cwd: named(Dir.pwd), load_path: $LOAD_PATH.map { |p| named(p) },
      gem_path: Gem.path.map { |p| named(p) }, task: Dir.children(ENV['LAMBDA_TASK_ROOT']).sort,
      data: File.read(File.join(ENV['LAMBDA_TASK_ROOT'], 'data.txt')),
    },
    ctx: { function_name: context.function_name, function_version: context.function_version, memory: context.memory_limit_in_mb,
           request_id: context.aws_request_id, arn: context.invoked_function_arn, log_group: context.log_group_name,
           log_stream: context.log_stream_name, remaining: context.get_remaining_time_in_millis, client_context: context.client_context },
  }
end
`;

const probe = (name: string, overrides: Partial<FunctionSpec> = {}, files: Record<string, string> = {}) =>
  dirs
    .code({ 'lambda_function.rb': PROBE, 'data.txt': `data of ${name}`, [`${name}.secret`]: name, ...files })
    .then((code) => specFor(code, { functionName: name, runtime: 'ruby3.3', handler: 'lambda_function.lambda_handler', ...overrides }));

/** Waits until a cell is ready and has lived a while, so that the process it serves is visibly older than the invoke. */
async function agedCell(pool: EnvironmentPool): Promise<void> {
  await readyCells(pool);
  await sleep(600);
}

function invoked(r: InvokeResult): any {
  assert.equal(r.functionError, undefined, r.payload.toString() + r.logLines.join(''));
  return json(r.payload);
}

/** Invokes `spec`; `age`: how long before the invoke its process started (negative: after it). */
async function invoke(pool: EnvironmentPool, spec: FunctionSpec, event: unknown = { peek: '/' }, overrides: Parameters<typeof request>[1] = {}) {
  const at = Date.now();
  const r = await pool.invoke(spec, request(event, overrides));
  const p = invoked(r);
  return { r, p, age: at - p.started_at };
}

// A cell started before it was ever wanted (agedCell); a fresh process after the invoke (/proc's clock has 10 ms ticks).
const fromCell = ({ age }: { age: number }) => assert.ok(age >= 400, `served by a cell (the process started ${age} ms before the invoke)`);
const fresh = ({ age }: { age: number }) => assert.ok(age < 50, `started fresh (the process started ${age} ms before the invoke)`);

describe('ruby pre-started cells', { skip: rubySkip }, () => {
  for (const sandbox of ['auto', 'off'] as const) {
    it(`serves the first invoke from a cell, specialised exactly as a fresh process starts (sandbox ${sandbox})`, async () => {
      const pool = await pools.start({ sandbox, ...RUBY_CELLS });
      await agedCell(pool);
      const environment = { ONLY_A: 'yes', AWS_LAMBDA_FUNCTION_NAME: 'spoofed', BUNDLE_WITHOUT: 'test' };
      const spec = await probe('rb-a', { environment });
      const first = await invoke(pool, spec, { peek: '/' }, { requestId: 'rb-cell-1', clientContext: Buffer.from('{"custom":{"k":"v"}}').toString('base64') });
      const { r, p } = first;
      fromCell(first);
      assert.equal(p.same.env.ONLY_A, 'yes');
      assert.equal(p.same.env.AWS_LAMBDA_FUNCTION_NAME, 'rb-a', 'reserved variables win');
      assert.equal(p.same.env.AWS_EXECUTION_ENV, 'AWS_Lambda_ruby3.3');
      assert.equal(p.same.env._HANDLER, 'lambda_function.lambda_handler');
      for (const k of ['_STAGECRAFT_CELL', '_STAGECRAFT_IN_FD', '_STAGECRAFT_OUT_FD']) assert.equal(p.same.env[k], undefined, k);
      assert.equal(p.same.cwd, '<task>');
      assert.deepEqual(p.same.task, ['data.txt', 'lambda_function.rb', 'rb-a.secret']);
      assert.equal(p.same.data, 'data of rb-a');
      if (pool.sandboxStatus().mode === 'bubblewrap') assert.equal(p.task_root, '/var/task');
      const { remaining, ...ctx } = p.ctx;
      assert.deepEqual(ctx, {
        function_name: 'rb-a', function_version: '$LATEST', memory: '128', request_id: 'rb-cell-1',
        arn: 'arn:aws:lambda:us-east-1:000000000000:function:test-fn', log_group: '/aws/lambda/rb-a', log_stream: r.logStreamName,
        client_context: { custom: { k: 'v' } },
      });
      assert.ok(remaining > 2000 && remaining <= 3000, String(remaining));
      // The init phase's output and the invocation's records, as from a fresh process.
      assert.match(r.logLines[0], /^INIT_START Runtime Version: ruby:3\.3\.v\d+/);
      assert.ok(r.logLines.includes('init of rb-a\n'), r.logLines.join('|'));
      assert.ok(r.logLines.some((l) => /INFO rb-cell-1 -- : via logger\n$/.test(l)), r.logLines.join('|'));
      assert.ok(r.initDurationMs !== undefined && r.initDurationMs > 0);
      assert.match(r.logLines.find((l) => l.startsWith('REPORT '))!, /Init Duration: [\d.]+ ms/);

      // A fresh process of the same function: the same variables, working directory, load path and gem paths.
      const freshPool = await pools.start({ sandbox, prewarm: 0 });
      const f = await invoke(freshPool, await probe('rb-a', { environment }));
      fresh(f);
      assert.deepEqual({ ...p.same, task: undefined, data: undefined }, { ...f.p.same, task: undefined, data: undefined });

      // The specialised cell stays warm for its function; a new cell replaces it.
      assert.deepEqual((await invoke(pool, spec)).p.process, p.process);
      await readyCells(pool);
    });

    it(`one function's cell never carries another function's state (sandbox ${sandbox})`, async () => {
      const pool = await pools.start({ sandbox, ...RUBY_CELLS });
      const a = await probe('rb-a', { environment: { ONLY_A: 'yes' } });
      const b = await probe('rb-b');
      await agedCell(pool);
      const first = await invoke(pool, a, { leave: true, peek: b.codeDir });
      fromCell(first);
      await agedCell(pool);
      const second = await invoke(pool, b, { peek: a.codeDir });
      fromCell(second);
      const p = second.p;
      assert.notDeepEqual(p.process, first.p.process);
      assert.deepEqual(p.leftovers, { global: null, constant: null, tmp: [] });
      assert.equal(p.same.env.ONLY_A, undefined);
      assert.equal(p.same.env.AWS_LAMBDA_FUNCTION_NAME, 'rb-b');
      assert.deepEqual(p.same.task, ['data.txt', 'lambda_function.rb', 'rb-b.secret']);
      assert.equal(p.same.data, 'data of rb-b');
      if (pool.sandboxStatus().mode === 'bubblewrap') {
        // The other function's code directory does not exist inside the sandbox.
        assert.equal(first.p.other, 'unreadable');
        assert.equal(p.other, 'unreadable');
      }
      // What A left behind stays with A's warm process.
      assert.deepEqual((await invoke(pool, a)).p.leftovers, { global: 'a global', constant: 'a constant', tmp: ['left-by-a'] });
    });

    it(`a function with layers is served by a cell and finds their ruby/lib and gems as a fresh process does (sandbox ${sandbox})`, async () => {
      const opt = await dirs.code(RUBY_LAYER);
      const files = { 'lambda_function.rb': `require 'layer_lib'\nrequire 'tinygem'\n${PROBE.replace("LOGGER.info('via logger')", "LOGGER.info([LayerLib::TEXT, TinyGem::TEXT].join(', '))")}` };
      const pool = await pools.start({ sandbox, ...RUBY_CELLS });
      await readyCells(pool);
      // The first has the layers surveyed (it starts fresh); the next one's cell shows them.
      await invoke(pool, await probe('primer', { optDir: opt }, files));
      await agedCell(pool);
      const layered = await invoke(pool, await probe('layered', { optDir: opt }, files));
      fromCell(layered);
      const { r, p } = layered;
      assert.ok(r.logLines.some((l) => l.endsWith('-- : from ruby/lib, from a gem\n')), r.logLines.join('|'));
      const freshPool = await pools.start({ sandbox, prewarm: 0 });
      const f = await invoke(freshPool, await probe('layered', { optDir: opt }, files));
      assert.deepEqual({ ...p.same, task: undefined }, { ...f.p.same, task: undefined });
      const optRoot = pool.sandboxStatus().mode === 'bubblewrap' ? '/opt' : opt;
      assert.ok(p.same.load_path.includes(`${optRoot}/ruby/lib`), p.same.load_path.join(':'));
      assert.ok(p.same.gem_path.includes(`${optRoot}/ruby/gems/3.3.0`), p.same.gem_path.join(':'));
    });

    it(`starts functions with AWS_LAMBDA_EXEC_WRAPPER or start-up-only variables (RUBYOPT) fresh, leaving the cell, and applies RUBYLIB in a cell (sandbox ${sandbox})`, async () => {
      const pool = await pools.start({ sandbox, ...RUBY_CELLS });
      const wrapper = '#!/bin/sh\nexport WRAPPED_BY=task-wrapper\nexec "$@"\n';
      const wrapped = await probe('wrapped', { environment: { AWS_LAMBDA_EXEC_WRAPPER: '/var/task/wrapper' } }, { wrapper });
      await chmod(path.join(wrapped.codeDir, 'wrapper'), 0o755);
      await agedCell(pool);
      const w = await invoke(pool, wrapped);
      fresh(w);
      assert.equal(w.p.same.env.WRAPPED_BY, 'task-wrapper');
      assert.equal(pool.stats().prestartedReady, 1, 'the cell is still there');

      const quiet = await invoke(pool, await probe('quiet', { environment: { RUBYOPT: '-W0' } }));
      fresh(quiet);
      assert.equal(quiet.p.verbose, 'nil', 'RUBYOPT took effect');
      assert.equal(pool.stats().prestartedReady, 1, 'the cell is still there');
      // Without them, the cell serves.
      const plain = await invoke(pool, await probe('plain'));
      fromCell(plain);
      assert.equal(plain.p.verbose, 'false');
      // A function's own RUBYLIB is applied as at a start.
      await agedCell(pool);
      const files = { 'lambda_function.rb': `require 'custom_lib'\n${PROBE}`, 'custom/custom_lib.rb': '' };
      const custom = await invoke(pool, await probe('custom', { environment: { RUBYLIB: 'custom' } }, files));
      fromCell(custom);
      assert.deepEqual(custom.p.same.load_path.slice(0, 2), ['<task>', 'custom']);
    });

    it(`applies the function's log format and level in a cell (sandbox ${sandbox})`, async () => {
      const pool = await pools.start({ sandbox, ...RUBY_CELLS });
      const environment = { AWS_LAMBDA_LOG_FORMAT: 'JSON', AWS_LAMBDA_LOG_LEVEL: 'WARN' };
      const files = { 'lambda_function.rb': PROBE.replace("LOGGER.info('via logger')", "LOGGER.info('hidden'); LOGGER.warn('shown')") };
      await agedCell(pool);
      const logged = await invoke(pool, await probe('json-logs', { environment, jsonLogging: { applicationLogLevel: 'WARN', systemLogLevel: 'INFO' } }, files), { peek: '/' }, { requestId: 'rb-json-1' });
      fromCell(logged);
      const records = logged.r.logLines.filter((l) => l.startsWith('{"timestamp"')).map((l) => JSON.parse(l));
      assert.deepEqual(records.map(({ level, message, requestId }) => ({ level, message, requestId })), [{ level: 'WARN', message: 'shown', requestId: 'rb-json-1' }]);
    });

    it(`a function whose layers hold an external extension is served by a cell behind the extensions' launcher (sandbox ${sandbox})`, async () => {
      const opt = await dirs.code({ ...RUBY_LAYER, 'extensions/rb-ext': RUBY_EXTENSION });
      await chmod(path.join(opt, 'extensions', 'rb-ext'), 0o755);
      const files = { 'lambda_function.rb': PROBE.replace("LOGGER.info('via logger')", 'wait_for_invoke(context.aws_request_id)') + WAIT_FOR_INVOKE };
      const pool = await pools.start({ sandbox, ...RUBY_CELLS });
      await readyCells(pool);
      // The first while the layers are surveyed, the second while its kind of cell starts: both fresh.
      for (const name of ['first', 'second']) fresh(await invoke(pool, await probe(name, { optDir: opt }, files)));
      await readyCells(pool, 2);
      await sleep(600);
      const extended = await invoke(pool, await probe('extended', { optDir: opt }, files));
      fromCell(extended);
      assert.equal(extended.p.same.env.AWS_LAMBDA_FUNCTION_NAME, 'extended');
      assert.ok(extended.r.logLines.some((l) => l.startsWith('EXTENSION\tName: rb-ext\tState: Ready\tEvents: [INVOKE]')), extended.r.logLines.join('|'));
    });
  }
});

const RUBY_LAYER = {
  'ruby/lib/layer_lib.rb': "module LayerLib\n  TEXT = 'from ruby/lib'\nend\n",
  'ruby/gems/3.3.0/specifications/tinygem-1.0.gemspec':
    "Gem::Specification.new do |s|\n  s.name = 'tinygem'\n  s.version = '1.0'\n  s.summary = 't'\n  s.authors = ['t']\n  s.files = ['lib/tinygem.rb']\nend\n",
  'ruby/gems/3.3.0/gems/tinygem-1.0/lib/tinygem.rb': "module TinyGem\n  TEXT = 'from a gem'\nend\n",
};

/** An external extension in Ruby: registers for INVOKE, prints and records each event's request id in /tmp. */
const RUBY_EXTENSION = `#!/usr/bin/env ruby
require 'net/http'
require 'json'
$stdout.sync = true
host_port, prefix = ENV['AWS_LAMBDA_RUNTIME_API'].split('/', 2)
host, port = host_port.split(':')
base = "#{prefix ? "/#{prefix}" : ''}/2020-01-01/extension"
http = Net::HTTP.new(host, Integer(port))
http.read_timeout = nil
res = http.post("#{base}/register", '{"events":["INVOKE"]}', 'Lambda-Extension-Name' => 'rb-ext')
id = res['Lambda-Extension-Identifier']
loop do
  event = JSON.parse(http.get("#{base}/event/next", 'Lambda-Extension-Identifier' => id).body)
  puts "[rb-ext] #{event['eventType']} #{event['requestId']}"
  File.open(File.join(ENV.fetch('TMPDIR', '/tmp'), 'rb-ext-invokes'), 'a') { |f| f.puts(event['requestId']) }
end
`;

/** The handler waits (up to 2 s) until the extension has seen its INVOKE. */
const WAIT_FOR_INVOKE = `
def wait_for_invoke(request_id)
  file = File.join(ENV.fetch('TMPDIR', '/tmp'), 'rb-ext-invokes')
  200.times do
    return if File.exist?(file) && File.read(file).split.include?(request_id)

    sleep 0.01
  end
  raise "the extension never saw #{request_id}"
end
`;
