// Test support: runs the boto3 scripts in e2e/python/ against a server, as a Python user's
// script would run (python3 on PATH, the endpoint and dummy credentials in the environment).
// They skip when python3 cannot import boto3, unless STAGECRAFT_REQUIRE_BOTO3=1 (CI sets it).
import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot, testCredentials, testRegion } from './server.js';

const PYTHON = 'python3';
export const boto3ScriptsDir = join(repoRoot, 'e2e', 'python');

function probeBoto3(): string | false {
  const probe = spawnSync(PYTHON, ['-c', 'import boto3, botocore; print(boto3.__version__, botocore.__version__)'], { encoding: 'utf8', timeout: 20_000 });
  if (probe.status === 0) return false;
  const why = probe.error ? `${PYTHON} did not run (${probe.error.message})` : `${PYTHON} cannot import boto3: ${probe.stderr.trim().split('\n').pop()}`;
  if (process.env.STAGECRAFT_REQUIRE_BOTO3 === '1') throw new Error(`STAGECRAFT_REQUIRE_BOTO3=1 but ${why} (pip install boto3)`);
  return `${why} (pip install boto3); set STAGECRAFT_REQUIRE_BOTO3=1 to fail instead`;
}

/** Why the boto3 tests skip, or false when python3 imports boto3. */
export const boto3Skip: string | false = probeBoto3();

export interface ScriptResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The script's report: the last line it printed, as JSON. */
  report(): any;
}

/** Runs `python3 e2e/python/<script>` against `endpoint`; never throws on a non-zero exit. */
export function runBoto3Script(endpoint: string, script: string, timeoutMs = 60_000): Promise<ScriptResult> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    STAGECRAFT_ENDPOINT: endpoint,
    AWS_ACCESS_KEY_ID: testCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: testCredentials.secretAccessKey,
    AWS_DEFAULT_REGION: testRegion,
    // The user's own AWS files must not change what the scripts send.
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONUNBUFFERED: '1',
  };
  for (const name of ['PYENV_ROOT', 'PYENV_VERSION']) if (process.env[name]) env[name] = process.env[name]!;
  return new Promise((resolve) => {
    execFile(PYTHON, [join(boto3ScriptsDir, script)], { cwd: boto3ScriptsDir, env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as NodeJS.ErrnoException).code === 'number' ? Number((error as NodeJS.ErrnoException).code) : null) : 0;
      resolve({ code, stdout, stderr, report: () => JSON.parse(stdout.trim().split('\n').pop() ?? '') });
    });
  });
}
