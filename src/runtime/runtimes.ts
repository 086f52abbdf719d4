// The runtimes an environment can run, and how each one is launched.
//   nodejs*   the host's node running our bootstrap (bootstraps/node)
//   python3.* the host's python3 running our stdlib-only bootstrap (bootstraps/python)
//   ruby3.*   the host's ruby running our stdlib-only bootstrap (bootstraps/ruby)
//   java*     the host's JDK running our JDK-only bootstrap (bootstraps/java, compiled at server start or first use)
//   provided* the function's own executable `bootstrap` in /var/task
import { access, constants } from 'node:fs/promises';
import { existsSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { installPrefix, type SandboxLink } from './sandbox.js';
import { bootstrapDir, buildBootstrap, builderJdk, hostJdk, jdkHostPaths, jvmOptions } from './java-runtime.js';

export type RuntimeFamily = 'nodejs' | 'python' | 'ruby' | 'java' | 'provided';

export interface Paths {
  /** Where the code is as the process sees it: /var/task, or the code dir when unsandboxed. */
  taskRoot: string;
  /** Where the runtime directory is as the process sees it. */
  runtimeRoot: string;
  /**
   * Where the layers are as the process sees it: /opt, or unsandboxed the host directory of the
   * function's merged layers (nothing can be mounted there).
   */
  optRoot: string;
}

export interface RuntimeDescriptor {
  name: string;
  family: RuntimeFamily;
  /**
   * How much of the private channel (channel.ts) the runtime speaks: 'full' (invocations and logs),
   * 'logs' (log records; invocations over the HTTP Runtime API) or 'none' (HTTP Runtime API only).
   */
  channel: 'full' | 'logs' | 'none';
  /**
   * With the full channel, everything the runtime writes to stdout and stderr travels on the channel
   * in order with its answers, so invocations may be sent ahead to it (environment.ts).
   */
  outputOnChannel: boolean;
  /** `nodejs:20.v1`: for INIT_START lines. */
  version: string;
  /** Host directory mounted at /var/runtime (the bootstrap's directory). */
  runtimeDir: string | undefined;
  /** Host paths the sandbox must show read-only (an interpreter installed outside /usr). */
  hostPaths: string[];
  /** Symbolic links the sandbox adds (see nodeRuntime). */
  sandboxLinks?: SandboxLink[];
  /** Environment variables the runtime adds (user variables may override them). */
  defaults(paths: Paths): Record<string, string>;
  /** The command to run; memorySize in MB. */
  command(paths: Paths, memorySize: number): { file: string; args: string[] };
  /** Variables a cell of this runtime cannot apply at specialisation: functions setting them start a fresh process. */
  startupOnly?: RegExp;
  /** Checked before launching: the reason the function cannot start, if any (AWS's wording). */
  entrypointProblem?(codeDir: string, paths: Paths): Promise<string | undefined>;
}

const NODE_BOOTSTRAP_DIR = fileURLToPath(new URL('./bootstraps/node/', import.meta.url));
// tsc does not copy .py or .rb files: the Python and Ruby bootstraps are used from the source tree.
const PYTHON_BOOTSTRAP_DIR = fileURLToPath(new URL('../../../src/runtime/bootstraps/python/', import.meta.url));
const RUBY_BOOTSTRAP_DIR = fileURLToPath(new URL('../../../src/runtime/bootstraps/ruby/', import.meta.url));

/** Where layers appear in an environment. */
export const OPT = '/opt';
const BASE_PATH = '/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin';
const LD_LIBRARY_PATH = '/var/lang/lib:/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/var/task:/var/task/lib:/opt/lib';

const NODE_RUNTIMES: Record<string, number> = { 'nodejs18.x': 18, 'nodejs20.x': 20, 'nodejs22.x': 22, 'nodejs24.x': 24 };
const PYTHON_RUNTIME = /^python(3\.\d+)$/;
const RUBY_RUNTIME = /^ruby(3\.\d+)$/;
const JAVA_RUNTIMES: Record<string, number> = { 'java8.al2': 8, java11: 11, java17: 17, java21: 21, java25: 25 };
const PROVIDED_RUNTIMES: Record<string, string> = { provided: 'provided:al1', 'provided.al2': 'provided:al2', 'provided.al2023': 'provided:al2023' };

const cache = new Map<string, RuntimeDescriptor | undefined>();

/** The descriptor for a Lambda runtime identifier, or undefined when it cannot run here. */
export function describeRuntime(runtime: string): RuntimeDescriptor | undefined {
  if (!cache.has(runtime)) cache.set(runtime, build(runtime));
  return cache.get(runtime);
}

function build(runtime: string): RuntimeDescriptor | undefined {
  const nodeMajor = NODE_RUNTIMES[runtime];
  if (nodeMajor !== undefined) return nodeRuntime(runtime, nodeMajor);
  const py = PYTHON_RUNTIME.exec(runtime);
  if (py) return pythonRuntime(runtime, py[1]);
  const rb = RUBY_RUNTIME.exec(runtime);
  if (rb) return rubyRuntime(runtime, rb[1]);
  const javaMajor = JAVA_RUNTIMES[runtime];
  if (javaMajor !== undefined) return javaRuntime(runtime, javaMajor);
  const provided = PROVIDED_RUNTIMES[runtime];
  if (provided) return providedRuntime(runtime, provided);
  return undefined;
}

function nodeRuntime(name: string, major: number): RuntimeDescriptor {
  const node = process.execPath;
  return {
    name,
    family: 'nodejs',
    channel: 'full',
    outputOnChannel: true,
    version: `nodejs:${major}.v1`,
    runtimeDir: NODE_BOOTSTRAP_DIR,
    hostPaths: [installPrefix(node)],
    // ES modules ignore NODE_PATH: an `import` of a bare name looks in node_modules directories up
    // from the importing file. From /var/task those are /var/task/node_modules, /var/node_modules
    // and /node_modules, so the last two lead to the layers' packages, in NODE_PATH's order, as
    // AWS's Node.js 18+ runtimes resolve them. Dangling links (no layers) cost a failed lookup.
    sandboxLinks: [
      { path: '/var/node_modules', target: `${OPT}/nodejs/node${major}/node_modules` },
      { path: '/node_modules', target: `${OPT}/nodejs/node_modules` },
    ],
    defaults: ({ taskRoot, runtimeRoot, optRoot }) => ({
      PATH: BASE_PATH,
      LD_LIBRARY_PATH,
      NODE_PATH: `${optRoot}/nodejs/node${major}/node_modules:${optRoot}/nodejs/node_modules:${runtimeRoot}/node_modules:${runtimeRoot}:${taskRoot}`,
    }),
    command: ({ runtimeRoot }, memorySize) => ({
      file: node,
      // Bound the V8 heap below the memory size; the RSS watchdog enforces the rest.
      args: [`--max-old-space-size=${Math.max(16, Math.floor(memorySize * 0.9))}`, `${runtimeRoot}/bootstrap.mjs`],
    }),
  };
}

/** The host's interpreter for a runtime: its own version's (`python3.12`) if installed, else the default one. */
function hostInterpreter(versioned: string, fallback: string): string | undefined {
  return [`/usr/bin/${versioned}`, `/usr/local/bin/${versioned}`, `/usr/bin/${fallback}`, `/usr/local/bin/${fallback}`].find((c) => existsSync(c));
}

function pythonRuntime(name: string, version: string): RuntimeDescriptor | undefined {
  const found = hostInterpreter(`python${version}`, 'python3');
  if (!found) return undefined;
  return {
    name,
    family: 'python',
    channel: 'full',
    outputOnChannel: true,
    version: `python:${version}.v1`,
    runtimeDir: PYTHON_BOOTSTRAP_DIR,
    hostPaths: [installPrefix(realpathSync(found))],
    // As on AWS, PYTHONPATH is the runtime directory; the bootstrap puts /opt/python and its
    // site-packages on sys.path. Unsandboxed with layers (no /opt to mount) they come first here instead.
    defaults: ({ runtimeRoot, optRoot }) => ({
      PATH: BASE_PATH,
      LD_LIBRARY_PATH,
      PYTHONPATH: optRoot === OPT ? runtimeRoot : `${optRoot}/python/lib/python${version}/site-packages:${optRoot}/python:${runtimeRoot}`,
    }),
    command: ({ runtimeRoot }) => ({ file: found, args: ['-u', '-X', 'utf8', `${runtimeRoot}/bootstrap.py`] }),
  };
}

function rubyRuntime(name: string, version: string): RuntimeDescriptor | undefined {
  const found = hostInterpreter(`ruby${version}`, 'ruby');
  if (!found) return undefined;
  // Gems are looked for under the runtime's version (3.3.0 for ruby3.3), where AWS's layout puts them.
  const gems = `${version}.0`;
  return {
    name,
    family: 'ruby',
    // Invocations over the HTTP Runtime API (as AWS's Ruby runtime client); log records (Logger,
    // Kernel#puts, error reports) as frames on fd 4, one event each, as AWS's telemetry fd makes them;
    // a pre-started cell learns its function on fd 3 (stagecraft_cell.rb).
    channel: 'logs',
    outputOnChannel: false,
    version: `ruby:${version}.v1`,
    runtimeDir: RUBY_BOOTSTRAP_DIR,
    hostPaths: [installPrefix(realpathSync(found))],
    // AWS's RUBYLIB and GEM_PATH: the code, the runtime's lib, then the layers' ruby/lib and ruby/gems/<version>.
    defaults: ({ taskRoot, runtimeRoot, optRoot }) => ({
      PATH: BASE_PATH,
      LD_LIBRARY_PATH,
      RUBYLIB: `${taskRoot}:${runtimeRoot}/lib:${optRoot}/ruby/lib`,
      GEM_PATH: `${taskRoot}/vendor/bundle/ruby/${gems}:${optRoot}/ruby/gems/${gems}:${runtimeRoot}:${runtimeRoot}/ruby/${gems}`,
    }),
    // UTF-8 as on AWS whatever locales the host has; error_highlight off because Ruby 3.1 puts its
    // snippet into exception messages (errorMessage), which 3.2+ (AWS's runtimes) do not.
    command: ({ runtimeRoot }) => ({ file: found, args: ['-EUTF-8', '--disable=error_highlight', `${runtimeRoot}/bootstrap.rb`] }),
  };
}

function javaRuntime(name: string, major: number): RuntimeDescriptor | undefined {
  const jdk = hostJdk(major);
  if (!jdk) return undefined;
  const builder = builderJdk() ?? jdk;
  const runtimeDir = bootstrapDir(builder);
  return {
    name,
    family: 'java',
    // Invocations, System.out/System.err and LambdaLogger records (one event each, as AWS's
    // telemetry fd makes them) on the channel (ChannelApi.java); a pre-started JVM learns its
    // function on fd 3 (Cell.java). The HTTP Runtime API when the pool keeps invocations off it.
    channel: 'full',
    outputOnChannel: true,
    version: `java:${major}.v1`,
    runtimeDir,
    hostPaths: jdkHostPaths(jdk),
    // _STAGECRAFT_OPT: where the runtime's class loader looks for the layers' java/lib (a variable,
    // not an option, so that every JVM of a memory size has the same command line and a
    // pre-started one learns it with the function's variables; the runtime hides it).
    defaults: ({ optRoot }) => ({ PATH: BASE_PATH, LD_LIBRARY_PATH, JAVA_HOME: jdk.home, _STAGECRAFT_OPT: optRoot }),
    // Read by the JVM (or its launcher) as it starts; glibc's allocator settings (MALLOC_ARENA_MAX,
    // often set for JVMs) as the process starts.
    startupOnly: /^(JAVA_TOOL_OPTIONS|_JAVA_OPTIONS|JDK_JAVA_OPTIONS)$/,
    // JAVA_TOOL_OPTIONS (the function's variable) reaches the JVM as on AWS.
    command: ({ runtimeRoot }, memorySize) => ({ file: `${jdk.home}/bin/java`, args: jvmOptions(jdk, memorySize, runtimeRoot) }),
    // Built at server start or here; a build that fails is the function's init failure, with javac's words.
    async entrypointProblem() {
      try {
        await buildBootstrap(builder);
        return undefined;
      } catch (e) {
        return (e as Error).message;
      }
    },
  };
}

function providedRuntime(name: string, version: string): RuntimeDescriptor {
  return {
    name,
    family: 'provided',
    channel: 'none',
    outputOnChannel: false,
    version: `${version}.v1`,
    runtimeDir: undefined,
    hostPaths: [],
    defaults: () => ({ PATH: BASE_PATH, LD_LIBRARY_PATH }),
    command: ({ taskRoot }) => ({ file: `${taskRoot}/bootstrap`, args: [] }),
    async entrypointProblem(codeDir) {
      try {
        await access(`${codeDir}/bootstrap`, constants.X_OK);
        return undefined;
      } catch {
        return "Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]";
      }
    },
  };
}
