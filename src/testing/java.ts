// Test support: whether the java* runtimes can run here (a JDK with javac: Debian's
// openjdk-17-jdk-headless), and compiling a test's Java sources against the runtime's
// com.amazonaws.services.lambda.runtime API into class files for a function's zip.
// Java tests skip without a JDK, unless STAGECRAFT_REQUIRE_JAVA=1 (CI sets it).
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { describeRuntime } from '../runtime/runtimes.js';
import { bootstrapDir, buildBootstrap, builderJdk, hostJdk } from '../runtime/java-runtime.js';

function probeJava(): string | false {
  if (describeRuntime('java17') && hostJdk(17)?.javac) return false;
  if (process.env.STAGECRAFT_REQUIRE_JAVA === '1') throw new Error('STAGECRAFT_REQUIRE_JAVA=1 but there is no JDK with javac (apt-get install openjdk-17-jdk-headless)');
  return 'no JDK with javac on this host (apt-get install openjdk-17-jdk-headless); set STAGECRAFT_REQUIRE_JAVA=1 to fail instead';
}

/** Why the Java tests skip, or false when the host has a JDK. */
export const javaSkip: string | false = probeJava();

async function listFiles(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(p, base)));
    else out.push(path.relative(base, p));
  }
  return out;
}

/**
 * Compiles Java sources (path under the source root -> text) against the runtime's API; returns
 * the class files by their path in a zip (`example/Hello.class`).
 */
export async function compileJava(sources: Record<string, string>): Promise<Record<string, Buffer>> {
  const jdk = hostJdk(17)!;
  const builder = builderJdk()!;
  await buildBootstrap(builder);
  const work = await mkdtemp(path.join(tmpdir(), 'stagecraft-javac-'));
  try {
    const files: string[] = [];
    for (const [name, text] of Object.entries(sources)) {
      const file = path.join(work, 'src', name);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, text);
      files.push(file);
    }
    const out = path.join(work, 'classes');
    await promisify(execFile)(jdk.javac!, ['-nowarn', '-encoding', 'UTF-8', '-cp', bootstrapDir(builder), '-d', out, ...files]);
    const classes: Record<string, Buffer> = {};
    for (const rel of await listFiles(out)) classes[rel] = await readFile(path.join(out, rel));
    return classes;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** A class file marked as compiled for a newer Java (its major version set to `major` + 44: 65 for Java 21). */
export function forJava(classFile: Buffer, major: number): Buffer {
  const copy = Buffer.from(classFile);
  copy.writeUInt16BE(major + 44, 6);
  return copy;
}
