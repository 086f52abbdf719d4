import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ChannelProtocolError, FrameParser, encodeFrame } from './channel.js';
import { LineSplitter, MAX_LINE_BYTES } from './output-capture.js';

const frame = (type: Parameters<typeof encodeFrame>[0], meta: Record<string, unknown>, body?: string): Buffer =>
  Buffer.concat(encodeFrame(type, meta, body === undefined ? undefined : Buffer.from(body)));

describe('FrameParser', () => {
  it('parses frames split at every possible byte', () => {
    const stream = Buffer.concat([frame('N', {}), frame('R', { id: 'a b' }, 'line1\nline2'), frame('L', {}, 'héllo'), frame('E', { id: 'x', type: 'Err' }, '{}')]);
    for (let cut = 1; cut < stream.length; cut++) {
      const p = new FrameParser(() => 1024);
      const frames = [...p.push(stream.subarray(0, cut)), ...p.push(stream.subarray(cut))];
      assert.deepEqual(
        frames.map((f) => [f.type, f.meta, f.body.toString()]),
        [
          ['N', {}, ''],
          ['R', { id: 'a b' }, 'line1\nline2'],
          ['L', {}, 'héllo'],
          ['E', { id: 'x', type: 'Err' }, '{}'],
        ],
      );
    }
  });

  it('skips bodies over the keep limit but stays in step', () => {
    const p = new FrameParser((t) => (t === 'R' ? 4 : 100));
    const frames = p.push(Buffer.concat([frame('R', { id: '1' }, 'too long'), frame('R', { id: '2' }, 'ok')]));
    assert.deepEqual(
      frames.map((f) => [f.meta.id, f.truncated, f.body.toString()]),
      [
        ['1', true, ''],
        ['2', false, 'ok'],
      ],
    );
  });

  it('throws a protocol error on garbage', () => {
    for (const junk of ['hello world\n', 'R x {}\n', 'Q 0 {}\n', 'R 1 nope\n', 'R 1 5\n']) {
      assert.throws(() => new FrameParser(() => 10).push(Buffer.from(junk)), ChannelProtocolError, junk);
    }
    assert.throws(() => new FrameParser(() => 10).push(Buffer.alloc(70 * 1024, 0x41)), ChannelProtocolError);
  });
});

describe('LineSplitter', () => {
  it('splits lines across chunks, keeps multi-byte characters whole and each newline, drops CR', () => {
    const s = new LineSplitter();
    const bytes = Buffer.from('a€b\r\nsecond\nthird');
    const lines: string[] = [];
    for (let i = 0; i < bytes.length; i++) lines.push(...s.push(bytes.subarray(i, i + 1)));
    assert.deepEqual(lines, ['a€b\n', 'second\n']);
    // A half line has no newline: none was written.
    assert.equal(s.flush(), 'third');
    assert.equal(s.flush(), undefined);
  });

  it('cuts long lines', () => {
    const s = new LineSplitter();
    const lines = s.push(Buffer.concat([Buffer.alloc(MAX_LINE_BYTES + 100, 0x61), Buffer.from('\nnext\n')]));
    assert.equal(lines[0], 'a'.repeat(MAX_LINE_BYTES) + '\n');
    assert.equal(lines[1], 'next\n');
  });
});
