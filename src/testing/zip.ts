// Test support: builds zip archives in memory (function code packages, including hostile ones).
import yazl from 'yazl';

export interface ZipEntry {
  name: string;
  content: string | Buffer;
  /** Unix mode, e.g. 0o120777 for a symlink (content is then the link target). */
  mode?: number;
}

export function makeZip(files: Record<string, string | Buffer> | ZipEntry[]): Promise<Buffer> {
  const entries: ZipEntry[] = Array.isArray(files) ? files : Object.entries(files).map(([name, content]) => ({ name, content }));
  const zip = new yazl.ZipFile();
  for (const e of entries) {
    const data = typeof e.content === 'string' ? Buffer.from(e.content) : e.content;
    zip.addBuffer(data, e.name, { mode: e.mode ?? 0o100644, mtime: new Date(0) });
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

/** A Node.js handler module returning `body` (as AWS's console "Hello from Lambda" example). */
export function nodeHandlerZip(code: string, fileName = 'index.js'): Promise<Buffer> {
  return makeZip({ [fileName]: code });
}
