// Java functions served by pre-started JVMs (cell-stock.ts, bootstraps/java/stagecraft/lambda/Cell.java):
// the first invoke comes from a JVM started before the function was ever invoked, which then looks
// exactly like a fresh JVM of that function (System.getenv() and getenv(name), what child processes
// inherit, system properties, JVM options, working directory, class loader, layers, context) and
// carries nothing of the function a previous cell served. Real JVMs, sandboxed when bubblewrap works
// here, and unsandboxed. Skipped without a JDK, unless STAGECRAFT_REQUIRE_JAVA=1.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmod } from 'node:fs/promises';
import * as path from 'node:path';
import type { EnvironmentPool } from './environment-pool.js';
import { TempDirs, TestPools, json, readyCells, request, sleep, specFor } from './testing.js';
import type { FunctionSpec, InvokeResult } from './types.js';
import { compileJava, javaSkip } from '../testing/java.js';
import { hostJdk } from './java-runtime.js';
import { makeZip } from '../testing/zip.js';

const dirs = new TempDirs();
const pools = new TestPools(dirs, { maxEnvironments: 6 });
after(async () => {
  await pools.closeAll();
  await dirs.cleanup();
});

const JAVA_CELLS = { prewarmFor: [{ runtime: 'java17', memorySize: 256 }] };

/**
 * What the function sees, with the values that differ by environment left out and its task root
 * named (unsandboxed, a cell's task root is a directory of its own). `startedAt`: when its JVM
 * started (RuntimeMXBean). Static state, a system property and a file in /tmp are left behind on
 * request, and reported when found.
 */
const PROBE = `package probe;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.*;
import java.util.stream.Collectors;

public class Probe implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    static final List<String> PER_ENVIRONMENT = Arrays.asList("AWS_LAMBDA_RUNTIME_API", "AWS_LAMBDA_LOG_STREAM_NAME", "_X_AMZN_TRACE_ID", "TMPDIR");
    static String leftByA;
    static int invocations;
    static { System.out.println("init of " + System.getenv("AWS_LAMBDA_FUNCTION_NAME")); }

    /** The environment's /tmp (unsandboxed, its own directory is TMPDIR: java.io.tmpdir stays the host's /tmp). */
    static String tmp() {
        return System.getenv("TMPDIR") != null ? System.getenv("TMPDIR") : System.getProperty("java.io.tmpdir");
    }

    static String named(Object v) {
        return String.valueOf(v).replace(System.getenv("LAMBDA_TASK_ROOT"), "<task>");
    }

    static Map<String, String> env(Map<String, String> all) {
        Map<String, String> out = new TreeMap<>();
        all.forEach((k, v) -> { if (!PER_ENVIRONMENT.contains(k)) out.put(k, named(v)); });
        return out;
    }

    /**
     * What a child process gets (env -0) when ProcessBuilder.environment() was read (built); else
     * it inherits the process's own environment, a pre-started JVM's that of its start.
     */
    static Map<String, String> childEnv(boolean built) throws Exception {
        ProcessBuilder b = new ProcessBuilder("/usr/bin/env", "-0");
        if (built) b.environment();
        Process p = b.start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Map<String, String> out = new HashMap<>();
        for (String entry : text.split("\\0")) if (!entry.isEmpty()) out.put(entry.substring(0, entry.indexOf('=')), entry.substring(entry.indexOf('=') + 1));
        return out;
    }

    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        try {
            invocations++;
            context.getLogger().log("via logger");
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("startedAt", ManagementFactory.getRuntimeMXBean().getStartTime());
            out.put("jvm", Arrays.asList(ProcessHandle.current().pid(), ManagementFactory.getRuntimeMXBean().getStartTime()));
            out.put("taskRoot", System.getenv("LAMBDA_TASK_ROOT"));
            Map<String, Object> left = new LinkedHashMap<>();
            left.put("static", leftByA);
            left.put("invocations", invocations);
            left.put("property", System.getProperty("left.by.a"));
            left.put("tmp", new File(tmp()).list((d, n) -> n.startsWith("left-by-a")).length);
            boolean onlyA;
            try { Class.forName("probe.OnlyA"); onlyA = true; } catch (ClassNotFoundException e) { onlyA = false; }
            left.put("onlyA", onlyA);
            out.put("leftovers", left);
            if (Boolean.TRUE.equals(event.get("leave"))) {
                leftByA = "a static";
                System.setProperty("left.by.a", "a property");
                Files.write(Paths.get(tmp(), "left-by-a"), new byte[] { 1 });
            }
            Map<String, String> all = System.getenv();
            List<String> byName = all.keySet().stream().filter(k -> !Objects.equals(System.getenv(k), all.get(k))).collect(Collectors.toList());
            Map<String, Object> same = new LinkedHashMap<>();
            same.put("env", env(all));
            same.put("getenvMismatches", byName);
            same.put("missingByName", System.getenv("SURELY_NOT_SET") == null && System.getenv("_STAGECRAFT_CELL") == null);
            same.put("childEnv", env(childEnv(true)));
            Map<String, String> props = new TreeMap<>();
            System.getProperties().forEach((k, v) -> props.put(String.valueOf(k), named(v)));
            props.remove("left.by.a");
            props.remove("com.amazonaws.xray.traceHeader");
            same.put("properties", props);
            same.put("jvmArgs", ManagementFactory.getRuntimeMXBean().getInputArguments().stream().map(Probe::named).collect(Collectors.toList()));
            same.put("cwd", named(new File(".").getCanonicalPath()));
            same.put("loader", Arrays.stream(((URLClassLoader) Probe.class.getClassLoader()).getURLs()).map(u -> named(u.getPath())).collect(Collectors.toList()));
            same.put("contextLoader", Thread.currentThread().getContextClassLoader() == Probe.class.getClassLoader());
            String layer;
            try { layer = (String) Class.forName("layer.FromLayer").getField("TEXT").get(null); } catch (ClassNotFoundException e) { layer = "none"; }
            same.put("layer", layer);
            same.put("task", Arrays.stream(new File(System.getenv("LAMBDA_TASK_ROOT")).list()).sorted().collect(Collectors.toList()));
            same.put("data", new String(Files.readAllBytes(Paths.get(System.getenv("LAMBDA_TASK_ROOT"), "data.txt")), StandardCharsets.UTF_8));
            out.put("same", same);
            Map<String, Object> ctx = new LinkedHashMap<>();
            ctx.put("functionName", context.getFunctionName());
            ctx.put("functionVersion", context.getFunctionVersion());
            ctx.put("memory", context.getMemoryLimitInMB());
            ctx.put("requestId", context.getAwsRequestId());
            ctx.put("arn", context.getInvokedFunctionArn());
            ctx.put("logGroup", context.getLogGroupName());
            ctx.put("logStream", context.getLogStreamName());
            ctx.put("remaining", context.getRemainingTimeInMillis());
            ctx.put("custom", context.getClientContext() == null ? null : context.getClientContext().getCustom());
            out.put("ctx", ctx);
            out.put("timezone", TimeZone.getDefault().getID());
            return out;
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }
}
`;

let probeClasses: Record<string, Buffer> = {};
let layerJar: Buffer;
before(async () => {
  if (javaSkip) return;
  const classes = await compileJava({ 'probe/Probe.java': PROBE, 'probe/OnlyA.java': 'package probe;\npublic class OnlyA {}\n', 'layer/FromLayer.java': 'package layer;\npublic class FromLayer {\n    public static final String TEXT = "from java/lib";\n}\n' });
  probeClasses = { 'probe/Probe.class': classes['probe/Probe.class'] };
  layerJar = await makeZip({ 'META-INF/MANIFEST.MF': 'Manifest-Version: 1.0\n', 'layer/FromLayer.class': classes['layer/FromLayer.class'] });
  Object.assign(probeClasses, { 'probe/OnlyA.class': classes['probe/OnlyA.class'] });
});

/** A function running the probe; `onlyA`: with the class only function A has. */
const probe = (name: string, overrides: Partial<FunctionSpec> = {}, files: Record<string, string | Buffer> = {}, onlyA = false) => {
  const { 'probe/OnlyA.class': onlyAClass, ...rest } = probeClasses;
  return dirs
    .code({ ...rest, ...(onlyA ? { 'probe/OnlyA.class': onlyAClass } : {}), 'data.txt': `data of ${name}`, [`${name}.secret`]: name, ...files })
    .then((code) => specFor(code, { functionName: name, runtime: 'java17', handler: 'probe.Probe', memorySize: 256, timeout: 10, ...overrides }));
};

/** Waits until a cell is ready and has lived a while, so that the JVM it serves is visibly older than the invoke. */
async function agedCell(pool: EnvironmentPool, n = 1): Promise<void> {
  await readyCells(pool, n, 20_000);
  await sleep(600);
}

function invoked(r: InvokeResult): any {
  assert.equal(r.functionError, undefined, r.payload.toString() + r.logLines.join(''));
  return json(r.payload);
}

/** Invokes `spec`; `age`: how long before the invoke its JVM started (negative: after it). */
async function invoke(pool: EnvironmentPool, spec: FunctionSpec, event: unknown = {}, overrides: Parameters<typeof request>[1] = {}) {
  const at = Date.now();
  const r = await pool.invoke(spec, request(event, overrides));
  const p = invoked(r);
  return { r, p, age: at - p.startedAt };
}

const fromCell = ({ age }: { age: number }) => assert.ok(age >= 400, `served by a cell (the JVM started ${age} ms before the invoke)`);
const fresh = ({ age }: { age: number }) => assert.ok(age < 50, `started fresh (the JVM started ${age} ms before the invoke)`);

/** A fresh JVM's view of the same function, for comparison. */
async function freshView(sandbox: 'auto' | 'off', name: string, overrides: Partial<FunctionSpec> = {}, files: Record<string, string | Buffer> = {}) {
  const freshPool = await pools.start({ sandbox, prewarm: 0 });
  const f = await invoke(freshPool, await probe(name, overrides, files));
  fresh(f);
  return f;
}

const comparable = (same: any) => ({ ...same, task: undefined, data: undefined });

describe('java pre-started cells', { skip: javaSkip }, () => {
  it('a java25 function on its own JDK is served by a cell of that JDK, with its variables', { skip: !hostJdk(25) && 'no JDK 25 on this host' }, async () => {
    const pool = await pools.start({ prewarmFor: [{ runtime: 'java25', memorySize: 512 }] });
    await agedCell(pool);
    const environment = { ONLY_A: 'yes' };
    const cell = await invoke(pool, await probe('jv-25', { runtime: 'java25', memorySize: 512, environment }));
    fromCell(cell);
    assert.equal(cell.p.same.properties['java.specification.version'], '25');
    assert.match(cell.r.logLines[0], /^INIT_START Runtime Version: java:25\.v\d+/);
    assert.equal(cell.p.same.env.ONLY_A, 'yes');
    assert.deepEqual(cell.p.same.getenvMismatches, []);
    const f = await freshView('auto', 'jv-25', { runtime: 'java25', memorySize: 512, environment });
    assert.deepEqual(comparable(cell.p.same), comparable(f.p.same));
  });

  for (const sandbox of ['auto', 'off'] as const) {
    it(`serves the first invoke from a pre-started JVM, specialised exactly as a fresh JVM starts (sandbox ${sandbox})`, async () => {
      const pool = await pools.start({ sandbox, ...JAVA_CELLS });
      await agedCell(pool);
      const environment = { ONLY_A: 'yes', AWS_LAMBDA_FUNCTION_NAME: 'spoofed', WITH_EQUALS: 'a=b', EMPTY: '', UNICODE: 'grüße ✓', AWS_LAMBDA_LOG_LEVEL: 'DEBUG' };
      const spec = await probe('jv-a', { environment });
      const first = await invoke(pool, spec, {}, { requestId: 'jv-cell-1', clientContext: Buffer.from('{"custom":{"k":"v"}}').toString('base64') });
      const { r, p } = first;
      fromCell(first);
      const env = p.same.env;
      assert.equal(env.ONLY_A, 'yes');
      assert.equal(env.WITH_EQUALS, 'a=b');
      assert.equal(env.EMPTY, '');
      // (Decoded as a fresh JVM decodes it: with sun.jnu.encoding, ASCII where the host lacks the locale.)
      assert.match(env.UNICODE, /^gr.+e .+$/);
      assert.equal(env.AWS_LAMBDA_FUNCTION_NAME, 'jv-a', 'reserved variables win');
      assert.equal(env.AWS_EXECUTION_ENV, 'AWS_Lambda_java17');
      assert.equal(env._HANDLER, 'probe.Probe');
      assert.ok(env.JAVA_HOME);
      for (const k of Object.keys(env)) assert.ok(!k.startsWith('_STAGECRAFT_'), k);
      assert.deepEqual(p.same.getenvMismatches, []);
      assert.equal(p.same.missingByName, true);
      // (A child gets the variables' bytes, which the probe reads as UTF-8.)
      assert.deepEqual({ ...p.same.childEnv, UNICODE: 'grüße ✓' }, { ...env, UNICODE: 'grüße ✓' }, 'child processes get the function variables');
      assert.equal(p.same.childEnv.UNICODE, 'grüße ✓');
      assert.equal(p.same.cwd, '<task>');
      assert.equal(p.same.contextLoader, true);
      assert.deepEqual(p.same.task, ['data.txt', 'jv-a.secret', 'probe']);
      assert.equal(p.same.data, 'data of jv-a');
      if (pool.sandboxStatus().mode === 'bubblewrap') assert.equal(p.taskRoot, '/var/task');
      const { remaining, ...ctx } = p.ctx;
      assert.deepEqual(ctx, {
        functionName: 'jv-a', functionVersion: '$LATEST', memory: 256, requestId: 'jv-cell-1',
        arn: 'arn:aws:lambda:us-east-1:000000000000:function:test-fn', logGroup: '/aws/lambda/jv-a', logStream: r.logStreamName, custom: { k: 'v' },
      });
      assert.ok(remaining > 8000 && remaining <= 10_000, String(remaining));
      // The init phase's output and the invocation's records, as from a fresh JVM.
      assert.match(r.logLines[0], /^INIT_START Runtime Version: java:17\.v\d+/);
      assert.ok(r.logLines.includes('init of jv-a\n'), r.logLines.join('|'));
      assert.ok(r.logLines.includes('via logger\n'), r.logLines.join('|'));
      assert.ok(r.initDurationMs !== undefined && r.initDurationMs > 0);
      assert.match(r.logLines.find((l) => l.startsWith('REPORT '))!, /Init Duration: [\d.]+ ms/);

      // A fresh JVM of the same function: the same variables, properties, options, working directory and class path.
      const f = await freshView(sandbox, 'jv-a', { environment });
      assert.deepEqual(comparable(p.same), comparable(f.p.same));

      // The specialised cell stays warm for its function; a new cell replaces it.
      assert.deepEqual((await invoke(pool, spec)).p.jvm, p.jvm);
      await readyCells(pool, 1, 20_000);
    });

    it(`one function's JVM never carries another function's state (sandbox ${sandbox})`, async () => {
      const pool = await pools.start({ sandbox, ...JAVA_CELLS });
      const a = await probe('jv-a', { environment: { ONLY_A: 'yes' } }, {}, true);
      const b = await probe('jv-b');
      await agedCell(pool);
      const first = await invoke(pool, a, { leave: true });
      fromCell(first);
      assert.equal(first.p.leftovers.onlyA, true);
      await agedCell(pool);
      const second = await invoke(pool, b);
      fromCell(second);
      const p = second.p;
      assert.notDeepEqual(p.jvm, first.p.jvm);
      assert.deepEqual(p.leftovers, { invocations: 1, tmp: 0, onlyA: false });
      assert.equal(p.same.env.ONLY_A, undefined);
      assert.equal(p.same.env.AWS_LAMBDA_FUNCTION_NAME, 'jv-b');
      assert.deepEqual(p.same.task, ['data.txt', 'jv-b.secret', 'probe']);
      assert.equal(p.same.data, 'data of jv-b');
      // What A left behind stays with A's warm JVM.
      assert.deepEqual((await invoke(pool, a)).p.leftovers, { static: 'a static', invocations: 2, property: 'a property', tmp: 1, onlyA: true });
    });

    it(`a function with a layer's java/lib jars is served by a cell and loads them as a fresh JVM does (sandbox ${sandbox})`, async () => {
      const opt = await dirs.code({ 'java/lib/layer.jar': layerJar });
      const pool = await pools.start({ sandbox, ...JAVA_CELLS });
      await readyCells(pool, 1, 20_000);
      // The first has the layers surveyed (it starts fresh); the next one's cell shows them.
      await invoke(pool, await probe('primer', { optDir: opt }));
      await agedCell(pool);
      const layered = await invoke(pool, await probe('layered', { optDir: opt }));
      fromCell(layered);
      assert.equal(layered.p.same.layer, 'from java/lib');
      const optRoot = pool.sandboxStatus().mode === 'bubblewrap' ? '/opt' : opt;
      assert.ok(layered.p.same.loader.includes(`${optRoot}/java/lib/layer.jar`), layered.p.same.loader.join(' '));
      const f = await freshView(sandbox, 'layered', { optDir: opt });
      assert.deepEqual(comparable(layered.p.same), comparable(f.p.same));
    });

    it(`starts functions with JVM option variables, AWS_LAMBDA_EXEC_WRAPPER, TZ or external extensions fresh, leaving the cell (sandbox ${sandbox})`, async () => {
      const pool = await pools.start({ sandbox, ...JAVA_CELLS, maxEnvironments: 12 });
      await agedCell(pool);
      for (const [name, variable] of [['tool', 'JAVA_TOOL_OPTIONS'], ['underscore', '_JAVA_OPTIONS'], ['jdk', 'JDK_JAVA_OPTIONS']] as const) {
        const started = await invoke(pool, await probe(name, { environment: { [variable]: `-Dfrom.${name}=yes` } }));
        fresh(started);
        assert.equal(started.p.same.properties[`from.${name}`], 'yes', `${variable} took effect`);
        assert.equal(pool.stats().prestartedReady, 1, 'the cell is still there');
      }
      fresh(await invoke(pool, await probe('arenas', { environment: { MALLOC_ARENA_MAX: '2' } })));
      const zoned = await invoke(pool, await probe('zoned', { environment: { TZ: 'Europe/Paris' } }));
      fresh(zoned);
      assert.equal(zoned.p.timezone, 'Europe/Paris');
      const wrapped = await probe('wrapped', { environment: { AWS_LAMBDA_EXEC_WRAPPER: '/var/task/wrapper' } }, { wrapper: '#!/bin/sh\nexport WRAPPED_BY=task-wrapper\nexec "$@"\n' });
      await chmod(path.join(wrapped.codeDir, 'wrapper'), 0o755);
      const w = await invoke(pool, wrapped);
      fresh(w);
      assert.equal(w.p.same.env.WRAPPED_BY, 'task-wrapper');
      assert.equal(pool.stats().prestartedReady, 1, 'the cell is still there');
      // Layers with an external extension: surveyed by the first, still fresh for the second.
      const opt = await dirs.code({ 'extensions/ext': EXTENSION });
      await chmod(path.join(opt, 'extensions', 'ext'), 0o755);
      for (const name of ['ext-first', 'ext-second']) fresh(await invoke(pool, await probe(name, { optDir: opt })));
      assert.equal(pool.stats().prestartedReady, 1, 'the cell is still there');
      // Without them, the cell serves.
      fromCell(await invoke(pool, await probe('plain')));
    });
  }
});

/** An external extension that registers for INVOKE and waits for its events. */
const EXTENSION = `#!/usr/bin/env node
const base = 'http://' + process.env.AWS_LAMBDA_RUNTIME_API + '/2020-01-01/extension';
(async () => {
  const r = await fetch(base + '/register', { method: 'POST', headers: { 'Lambda-Extension-Name': 'ext' }, body: JSON.stringify({ events: ['INVOKE'] }) });
  const id = r.headers.get('lambda-extension-identifier');
  for (;;) await (await fetch(base + '/event/next', { headers: { 'Lambda-Extension-Identifier': id } })).text();
})();
`;
