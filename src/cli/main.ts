// The stagecraft command line: one file per command, dispatched here.
import { serveCommand } from './serve.js';
import { deployCommand } from './deploy.js';
import { promoteCommand } from './promote.js';
import { rollbackCommand } from './rollback.js';
import { statusCommand } from './status.js';
import { invokeCommand } from './invoke.js';
import { logsCommand } from './logs.js';

export interface Command {
  name: string;
  summary: string;
  run(args: string[]): Promise<number>;
}

const commands: Command[] = [serveCommand, deployCommand, promoteCommand, rollbackCommand, statusCommand, invokeCommand, logsCommand];

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: stagecraft <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `stagecraft <command> --help` for a command\'s options and examples.',
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
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    process.exitCode = name ? 0 : 1;
    return;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`stagecraft: unknown command '${name}'.\n\n${usage()}\n`);
    process.exitCode = 2;
    return;
  }
  process.exitCode = await command.run(rest);
}
