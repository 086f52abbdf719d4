// Test support: builds zip archives in memory (function code packages, including hostile ones).
import yazl from 'yazl';

export interface ZipEntry {
  name: string;
  content: string | Buffer;
  /** Unix mode, e.g. 0o120777 for a symlink (content is then the link target). */
  mode?: number;
}

/**
 * Builds a zip. Names yazl refuses (`../x`, `/etc/x`) are written under a same-length placeholder
 * and patched into the archive afterwards, so tests can produce hostile packages.
 */
export async function makeZip(files: Record<string, string | Buffer> | ZipEntry[]): Promise<Buffer> {
  const entries: ZipEntry[] = Array.isArray(files) ? files : Object.entries(files).map(([name, content]) => ({ name, content }));
  const zip = new yazl.ZipFile();
  const patches: [string, string][] = [];
  entries.forEach((e, i) => {
    const data = typeof e.content === 'string' ? Buffer.from(e.content) : e.content;
    let name = e.name;
    if (name.startsWith('/') || name.split('/').includes('..')) {
      const placeholder = `q${i}`.padEnd(name.length, 'q').slice(0, name.length);
      patches.push([placeholder, name]);
      name = placeholder;
    }
    zip.addBuffer(data, name, { mode: e.mode ?? 0o100644, mtime: new Date('2020-01-01T00:00:00Z') });
  });
  zip.end();
  const out = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
  for (const [from, to] of patches) {
    const a = Buffer.from(from);
    const b = Buffer.from(to);
    for (let at = out.indexOf(a); at >= 0; at = out.indexOf(a, at + 1)) b.copy(out, at);
  }
  return out;
}

/** A Node.js handler module returning `body` (as AWS's console "Hello from Lambda" example). */
export function nodeHandlerZip(code: string, fileName = 'index.js'): Promise<Buffer> {
  return makeZip({ [fileName]: code });
}
