// Ruby cold starts, with and without pre-started cells (lib/cold-cells.ts): a ruby3.3 function.
// Usage: node dist/bench/ruby-cold.js [samples=20] [--sandbox off]
import { compareColdStarts } from './lib/cold-cells.js';
import { makeZip } from '../src/testing/zip.js';

await compareColdStarts(
  {
    name: 'ruby-cold',
    runtime: 'ruby3.3',
    handler: 'lambda_function.lambda_handler',
    code: (i) => makeZip({ 'lambda_function.rb': `# sample ${i}\nrequire 'json'\ndef lambda_handler(event:, context:) = { ok: true }\n` }),
  },
  process.argv.slice(2),
);
