// Java cold starts, with and without pre-started JVMs (lib/cold-cells.ts): a java17 RequestHandler
// of 512 MB that reads its event as a Map and answers one (so the mapper runs), compiled here.
// Usage: node dist/bench/java-cold.js [samples=20] [--sandbox off]
import { compareColdStarts } from './lib/cold-cells.js';
import { compileJava } from '../src/testing/java.js';
import { makeZip } from '../src/testing/zip.js';

const classes = await compileJava({
  'bench/Cold.java': `package bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Collections;
import java.util.Map;

public class Cold implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        context.getLogger().log("cold start of " + context.getFunctionName());
        return Collections.singletonMap("ok", true);
    }
}
`,
});

await compareColdStarts(
  {
    name: 'java-cold',
    runtime: 'java17',
    handler: 'bench.Cold',
    memorySize: 512,
    code: (i) => makeZip({ ...classes, 'sample.txt': String(i) }),
  },
  process.argv.slice(2),
  // A JVM takes longer than an interpreter to become a ready cell.
  1500,
);
