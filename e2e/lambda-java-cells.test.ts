// Java cold starts from pre-started JVMs through the server and @aws-sdk/client-lambda: the first
// java17 function of a memory size starts a fresh JVM and has one started for the next; the next
// function's first Invoke is served by that JVM (started before the function existed), with its own
// variables, its LogFormat and level, and a shorter Init Duration. Skipped without a JDK, unless
// STAGECRAFT_REQUIRE_JAVA=1.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateFunctionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { testFunctionRole } from '../src/testing/functions.js';
import { makeZip } from '../src/testing/zip.js';
import { useServer } from '../src/testing/fixture.js';
import { compileJava, javaSkip } from '../src/testing/java.js';

const env = useServer();

const HANDLER = `package cells;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

public class Started implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        context.getLogger().log("hidden", LogLevel.INFO);
        context.getLogger().log("shown", LogLevel.WARN);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("startedAt", ManagementFactory.getRuntimeMXBean().getStartTime());
        out.put("own", System.getenv("OWN"));
        out.put("name", System.getenv().get("AWS_LAMBDA_FUNCTION_NAME"));
        out.put("private", System.getenv().keySet().stream().anyMatch(k -> k.startsWith("_STAGECRAFT_")));
        return out;
    }
}
`;

let zip: Buffer;
before(async () => {
  if (javaSkip) return;
  zip = await makeZip(await compileJava({ 'cells/Started.java': HANDLER }));
});

async function createAndInvoke(name: string) {
  await env.lambda.send(new CreateFunctionCommand({
    FunctionName: name, Runtime: 'java17', Handler: 'cells.Started', Role: testFunctionRole, MemorySize: 384, Timeout: 10, Code: { ZipFile: zip },
    Environment: { Variables: { OWN: `own of ${name}` } }, LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'WARN' },
  }));
  const at = Date.now();
  const res = await env.lambda.send(new InvokeCommand({ FunctionName: name, LogType: 'Tail', Payload: Buffer.from('{}') }));
  const body = JSON.parse(Buffer.from(res.Payload!).toString());
  const log = Buffer.from(res.LogResult!, 'base64').toString();
  assert.equal(res.FunctionError, undefined, JSON.stringify(body) + log);
  // (LogFormat JSON: the REPORT is a platform.report record.)
  const init = Number(/"initDurationMs":([\d.]+)/.exec(log)?.[1]);
  return { body, log, init, age: at - body.startedAt };
}

test('a java17 function\'s first Invoke is served by a JVM started before it, with its own variables and log settings', { skip: javaSkip }, async () => {
  const first = await createAndInvoke('java-cell-first');
  assert.ok(first.age < 50, `the first started a fresh JVM (${first.age} ms before the invoke)`);
  // Its JVM asked for the kind's cell: it is ready well within this.
  await sleep(2500);
  const second = await createAndInvoke('java-cell-second');
  assert.ok(second.age >= 1000, `served by a pre-started JVM (started ${second.age} ms before the invoke)`);
  assert.deepEqual({ own: second.body.own, name: second.body.name, private: second.body.private }, { own: 'own of java-cell-second', name: 'java-cell-second', private: false });
  const records = second.log.split('\n').filter((l) => l.startsWith('{"timestamp"')).map((l) => JSON.parse(l));
  assert.deepEqual(records.map((r) => [r.level, r.message]), [['WARN', 'shown']], second.log);
  assert.ok(second.init < first.init, `Init Duration ${second.init} ms from the cell, ${first.init} ms fresh`);
});
