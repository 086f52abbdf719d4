// Which invocation output belongs to, and how long an answer waits for the output written before it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LogBuffer } from './output-capture.js';
import { OutputAttribution } from './output-attribution.js';

function attribution(textFormat = true) {
  let running: LogBuffer | undefined;
  const output = new OutputAttribution(() => running, () => false, () => textFormat);
  return { output, begin: () => (running = new LogBuffer()), lines: () => running?.lines ?? [] };
}

/** Whether the promise `start` makes settles before the event loop's next turn (an immediate queued first). */
async function settlesThisTurn(start: () => Promise<void>): Promise<boolean> {
  let nextTurn = false;
  const turn = new Promise<void>((resolve) => setImmediate(() => ((nextTurn = true), resolve())));
  await start();
  const early = !nextTurn;
  await turn;
  return early;
}

test('an answer whose reported stdout/stderr bytes are all in goes on without waiting a turn', async () => {
  const { output, begin } = attribution();
  begin();
  output.stdout(Buffer.from('hello\n'));
  output.stderr(Buffer.from('oops\n'));
  assert.equal(await settlesThisTurn(() => output.arrived(11)), true);
  assert.equal(await settlesThisTurn(() => output.arrived(0)), true);
});

test('it waits for the pipes when bytes are missing or the runtime did not say, and late output still lands in the invocation', async () => {
  const { output, begin, lines } = attribution();
  begin();
  output.stdout(Buffer.from('first\n'));
  assert.equal(await settlesThisTurn(() => output.arrived(undefined)), false);
  // Output that arrives while it waits keeps it waiting, and belongs to the invocation.
  setImmediate(() => output.stdout(Buffer.from('arrives later\n')));
  await output.arrived(20);
  assert.deepEqual(lines(), ['first\n', 'arrives later\n']);
});

test('lines keep the newline they were written with; a text record gets one, a JSON record none', () => {
  const text = attribution();
  text.begin();
  text.output.stdout(Buffer.from('printed\nhalf'));
  text.output.record('2024-01-01T00:00:00.000Z\tid\tINFO\ttwo\nlines');
  text.output.flushPartialLines();
  assert.deepEqual(text.lines(), ['printed\n', '2024-01-01T00:00:00.000Z\tid\tINFO\ttwo\nlines\n', 'half']);
  const json = attribution(false);
  json.begin();
  json.output.stdout(Buffer.from('printed\n'));
  json.output.record('{"level":"INFO","message":"hi"}');
  assert.deepEqual(json.lines(), ['printed\n', '{"level":"INFO","message":"hi"}']);
});
