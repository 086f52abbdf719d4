// The java* runtimes: the host's JDK, and our bootstrap (bootstraps/java, JDK-only Java sources)
// compiled for Java 8 by the default JDK's javac (so one build serves every installed JDK) into a
// cache keyed by the sources' and that JDK's hash, at server start or on first use. The compiled
// classes are the runtime directory (/var/runtime), the runtime's own classpath.
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

// tsc does not copy .java files: the sources are used from the source tree.
const SOURCES_DIR = fileURLToPath(new URL('../../../src/runtime/bootstraps/java/', import.meta.url));
const JVM_DIR = '/usr/lib/jvm';
const MAIN_CLASS = 'stagecraft.lambda.Bootstrap';
const run = promisify(execFile);

export interface HostJdk {
  /** The JDK's home (…/bin/java inside it). */
  home: string;
  /** The feature release: 17 for 17.0.15. */
  major: number;
  javac: string | undefined;
}

/** The major version a JDK's `release` file names, if it has one. */
function releaseMajor(home: string): number | undefined {
  try {
    const m = /^JAVA_VERSION="(\d+)(?:\.(\d+))?/m.exec(readFileSync(path.join(home, 'release'), 'utf8'));
    if (!m) return undefined;
    // Java 8 calls itself 1.8.
    return m[1] === '1' && m[2] ? Number(m[2]) : Number(m[1]);
  } catch {
    return undefined;
  }
}

function jdkAt(home: string): HostJdk | undefined {
  const major = releaseMajor(home);
  if (major === undefined || !existsSync(path.join(home, 'bin/java'))) return undefined;
  const javac = path.join(home, 'bin/javac');
  return { home, major, javac: existsSync(javac) ? javac : undefined };
}

/**
 * The JDK for a runtime: one of its own version under /usr/lib/jvm if installed, else the host's
 * default `java` (whatever its version: classes compiled for a newer one fail to load there).
 */
export function hostJdk(major: number): HostJdk | undefined {
  let names: string[] = [];
  try {
    names = readdirSync(JVM_DIR).sort();
  } catch {
    // No /usr/lib/jvm.
  }
  for (const name of names) {
    try {
      const home = realpathSync(path.join(JVM_DIR, name));
      const jdk = statSync(home).isDirectory() ? jdkAt(home) : undefined;
      if (jdk?.major === major) return jdk;
    } catch {
      // A dangling link: not a JDK.
    }
  }
  const java = ['/usr/bin/java', '/usr/local/bin/java'].find((c) => existsSync(c));
  return java ? jdkAt(path.dirname(path.dirname(realpathSync(java)))) : undefined;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(p));
    else if (entry.name.endsWith('.java')) out.push(p);
  }
  return out.sort();
}

/** The JDK whose javac builds the bootstrap: java17's (the host's default when it has no JDK 17). */
export function builderJdk(): HostJdk | undefined {
  return hostJdk(17);
}

const dirs = new Map<string, string>();

/** Where a JDK's build of the bootstrap lives (it may not be built yet). */
export function bootstrapDir(jdk: HostJdk): string {
  let dir = dirs.get(jdk.home);
  if (dir === undefined) {
    const hash = createHash('sha256').update(`${jdk.home}\n${jdk.major}\n`);
    for (const file of sourceFiles(SOURCES_DIR)) hash.update(path.relative(SOURCES_DIR, file)).update('\0').update(readFileSync(file));
    dir = path.join(os.tmpdir(), `stagecraft-java-runtime-${process.getuid?.() ?? 'user'}`, hash.digest('hex').slice(0, 16));
    dirs.set(jdk.home, dir);
  }
  return dir;
}

/** The builds under way, by directory. */
const builds = new Map<string, Promise<void>>();

/**
 * Compiles the bootstrap into bootstrapDir(jdk) unless it is there (looked for each time: a
 * temporary directory's cleaner may remove it); rejects with javac's output.
 */
export function buildBootstrap(jdk: HostJdk): Promise<void> {
  const dir = bootstrapDir(jdk);
  if (existsSync(path.join(dir, `${MAIN_CLASS.replaceAll('.', '/')}.class`))) return Promise.resolve();
  let build = builds.get(dir);
  if (!build) {
    build = compile(jdk, dir).finally(() => builds.delete(dir));
    builds.set(dir, build);
  }
  return build;
}

async function compile(jdk: HostJdk, dir: string): Promise<void> {
  if (!jdk.javac) throw new Error(`the JDK at ${jdk.home} has no javac to build the Java runtime with`);
  await mkdir(path.dirname(dir), { recursive: true, mode: 0o755 });
  // The cache is in a shared temporary directory: use it only if it is ours and no one else can write there.
  const parent = await stat(path.dirname(dir));
  if ((process.getuid && parent.uid !== process.getuid()) || (parent.mode & 0o022) !== 0) {
    throw new Error(`${path.dirname(dir)} is not a private directory of this user: not building the Java runtime there`);
  }
  // Built beside its final place, then renamed: other servers on the host may build it at the same time.
  const staging = await mkdtemp(`${dir}.build-`);
  try {
    // Class files for Java 8 load on every JDK the java* runtimes may run on.
    const release = jdk.major >= 9 ? ['--release', '8', '-Xlint:-options'] : [];
    await run(jdk.javac, ['-nowarn', ...release, '-encoding', 'UTF-8', '-d', staging, ...sourceFiles(SOURCES_DIR)], { maxBuffer: 4 * 1024 * 1024 });
    await rename(staging, dir).catch((e: NodeJS.ErrnoException) => {
      if (!existsSync(dir)) throw e;
    });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`javac failed to build the Java runtime: ${(err.stderr || err.message).trim()}`);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** The JVM's options for a memory size, as AWS's java runtimes size heap, metaspace and code cache. */
export function jvmOptions(jdk: HostJdk, memorySize: number, runtimeRoot: string): string[] {
  const kb = (share: number, min: number) => `${Math.max(min, Math.floor(memorySize * 1024 * share))}k`;
  return [
    `-XX:MaxHeapSize=${kb(0.85, 16384)}`,
    `-XX:MaxMetaspaceSize=${kb(0.1, 16384)}`,
    `-XX:ReservedCodeCacheSize=${kb(0.05, 4096)}`,
    '-XX:+UseSerialGC',
    '-XX:+TieredCompilation',
    '-XX:TieredStopAtLevel=1',
    '-XX:-UsePerfData',
    '-Xshare:auto',
    '-Djava.net.preferIPv4Stack=true',
    // The runtime writes its log records to the channel's fd (Fds.java) and sets the JVM's copy of
    // the environment (Environ.java): every JVM, pre-started or not, has the same options.
    ...(jdk.major >= 9 ? ['--add-opens=java.base/java.io=ALL-UNNAMED', '--add-opens=java.base/java.lang=ALL-UNNAMED'] : []),
    '-classpath',
    runtimeRoot,
    MAIN_CLASS,
  ];
}

/** Host paths outside /usr a JDK reads (Debian links its conf files to /etc/java-<major>-openjdk). */
export function jdkHostPaths(jdk: HostJdk): string[] {
  return [jdk.home, `/etc/java-${jdk.major}-openjdk`].filter((p) => existsSync(p));
}

/**
 * Starts building the bootstrap in the background (at server start), so that a
 * first Java invocation does not wait for javac within its init phase. A failure is reported by
 * the invocations that need the build.
 */
export function prebuildJavaRuntime(): void {
  const jdk = builderJdk();
  if (jdk?.javac) buildBootstrap(jdk).catch(() => undefined);
}
