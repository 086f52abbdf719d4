// The stagecraft command line: one file per command, dispatched here. Each command's module
// (and the AWS SDK clients it needs) is loaded only when that command runs.
import { STAGECRAFT_VERSION } from '../core/version.js';

export interface Command {
  name: string;
  summary: string;
  run(args: string[]): Promise<number>;
}

interface Entry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

const commands: Entry[] = [
  { name: 'init', summary: 'Start a project (SAM template, stages dev and prod, a handler) ready to deploy', load: async () => (await import('./init.js')).initCommand },
  { name: 'serve', summary: 'Run the server (Lambda, API Gateway, Logs APIs and invoke URLs) on one port', load: async () => (await import('./serve.js')).serveCommand },
  { name: 'deploy', summary: 'Deploy an AWS SAM template: functions, versions, aliases, API routes and stages', load: async () => (await import('./deploy.js')).deployCommand },
  { name: 'promote', summary: 'Point an alias or API stage (prod) at what another (dev) runs, optionally as a canary', load: async () => (await import('./promote.js')).promoteCommand },
  { name: 'rollback', summary: 'Return an alias or API stage to what it ran before its last promotion', load: async () => (await import('./rollback.js')).rollbackCommand },
  { name: 'delete', summary: "Delete everything a stack's deploys made on the server (sam delete)", load: async () => (await import('./delete.js')).deleteCommand },
  { name: 'status', summary: "Show functions' aliases → versions and APIs' stages → deployments", load: async () => (await import('./status.js')).statusCommand },
  { name: 'invoke', summary: 'Invoke a function and print its result, executed version and log tail', load: async () => (await import('./invoke.js')).invokeCommand },
  { name: 'logs', summary: "Print (or follow) a function's log through the CloudWatch Logs API", load: async () => (await import('./logs.js')).logsCommand },
];

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: stagecraft <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `stagecraft <command> --help` for a command\'s options and examples; `stagecraft --version` for the version.',
    '',
    'Client commands talk to a server through the AWS APIs: --endpoint-url (or AWS_ENDPOINT_URL,',
    'default http://localhost:4566), --region (or AWS_REGION, default us-east-1), credentials from',
    'AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (default test/test).',
    '',
    'A DEV/PROD walkthrough:',
    '  stagecraft serve &',
    '  stagecraft deploy -f examples/hello-lambda/stagecraft.yml',
    '  stagecraft promote hello-lambda --from dev --to prod',
    '  stagecraft status',
  ].join('\n');
}

export async function main(argv: string[]): Promise<void> {
  // `stagecraft status | head`: a closed pipe ends the output, not the process with a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
  const [name, ...rest] = argv;
  if (!name) {
    // No command is a usage error: the usage goes to stderr, stdout stays empty for scripts.
    process.stderr.write(usage() + '\n');
    process.exitCode = 2;
    return;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    process.stdout.write(`stagecraft ${STAGECRAFT_VERSION}\n`);
    return;
  }
  // `stagecraft help deploy` is `stagecraft deploy --help`.
  if (name === 'help' && rest.length) {
    const helpFor = commands.find((c) => c.name === rest[0]);
    if (!helpFor) return unknownCommand(rest[0]);
    process.exitCode = await (await helpFor.load()).run(['--help']);
    return;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    process.exitCode = 0;
    return;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) return unknownCommand(name);
  process.exitCode = await (await command.load()).run(rest);
}

function unknownCommand(name: string): void {
  process.stderr.write(`stagecraft: unknown command '${name}'.\n\n${usage()}\n`);
  process.exitCode = 2;
}
