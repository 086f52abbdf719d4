// `stagecraft init`: starts a project ready for `stagecraft deploy` (project-scaffold.ts says what
// is in it). Writes nothing over existing files unless told to.
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { Command } from './main.js';
import { CliError, runCommand } from './command.js';
import { DEFAULT_SCAFFOLD_RUNTIME, SCAFFOLD_RUNTIMES, invalidFunctionName, invalidScaffoldRuntime, nameFromDirectory, scaffoldFiles } from './project-scaffold.js';
import { palette, write, writeJson } from './output.js';

const HELP = `Usage: stagecraft init [<directory>] [--name <function>] [--runtime <runtime>] [--force]

Starts a project in <directory> (default: the current one; created if missing) that
\`stagecraft deploy\` deploys as it is: an AWS SAM template (template.yaml) with one function,
published to alias dev on every deploy, and a REST API with GET /hello; stagecraft.yml, which
gives the API a prod stage beside dev, each calling the function's alias that its \`env\` stage
variable names; and the handler in src/. Existing files are never overwritten unless --force.

Options:
  --name <function>     The function's name (default: the directory's name); the API is <name>-api
  --runtime <runtime>   ${SCAFFOLD_RUNTIMES.join(', ')}
                        (default ${DEFAULT_SCAFFOLD_RUNTIME})
  --force               Overwrite template.yaml, stagecraft.yml and the handler if they exist
  --json                Machine-readable output on stdout
  --no-color            No colours (also: NO_COLOR=1)
  -h, --help            Show this help

Examples:
  stagecraft init hello
  stagecraft init orders --runtime python3.12
  stagecraft init . --name hello-lambda --force
`;

export const initCommand: Command = {
  name: 'init',
  summary: 'Start a project (SAM template, stages dev and prod, a handler) ready to deploy',
  run: (args) =>
    runCommand('init', HELP, args, { name: { type: 'string' }, runtime: { type: 'string' }, force: { type: 'boolean' } }, async ({ values, positionals }) => {
      const directory = resolve(positionals[0] ?? '.');
      const name = values.name ?? nameFromDirectory(basename(directory));
      const badName = invalidFunctionName(name);
      if (badName) throw new CliError(badName, values.name === undefined ? 'Name it with --name.' : undefined, 2);
      const runtime = values.runtime ?? DEFAULT_SCAFFOLD_RUNTIME;
      const badRuntime = invalidScaffoldRuntime(runtime);
      if (badRuntime) throw new CliError(badRuntime, undefined, 2);

      const files = scaffoldFiles(name, runtime);
      const existing = files.filter((f) => existsSync(join(directory, f.path))).map((f) => f.path);
      if (existing.length > 0 && !values.force) {
        throw new CliError(`${shown(directory)} already has ${existing.join(', ')}`, 'Choose another directory, or pass --force to overwrite them.');
      }
      try {
        for (const file of files) {
          const target = join(directory, file.path);
          makeDirectories(dirname(target));
          writeFileSync(target, file.content);
        }
      } catch (e) {
        if (e instanceof CliError) throw e;
        throw new CliError(`cannot write the project in ${shown(directory)}: ${(e as Error).message}`);
      }

      if (values.json) {
        writeJson({ directory, name, runtime, files: files.map((f) => f.path) });
        return 0;
      }
      const c = palette(process.stdout, Boolean(values['no-color']));
      const width = Math.max(...files.map((f) => f.path.length));
      const cd = relative(process.cwd(), directory);
      write([
        `${c.green('Created')} ${c.bold(name)} (${runtime}) in ${shown(directory)}:`,
        ...files.map((f) => `  ${f.path.padEnd(width)}  ${c.dim(f.purpose)}`),
        '',
        'Next:',
        ...(cd ? [`  cd ${cd}`] : []),
        `  stagecraft serve &                                 ${c.dim('# unless a server is running')}`,
        `  stagecraft deploy                                  ${c.dim('# version 1 behind alias dev, stages dev and prod')}`,
        `  stagecraft promote ${name} --from dev --to prod`,
        `  stagecraft status                                  ${c.dim('# aliases, stages and invoke URLs')}`,
      ].join('\n'));
      return 0;
    }, 1),
};

/** The directory as the user would type it: relative to where they are, or absolute when that is shorter. */
function shown(directory: string): string {
  const rel = relative(process.cwd(), directory);
  if (rel === '') return 'the current directory';
  return rel.length < directory.length ? rel : directory;
}

/**
 * mkdir -p, one level at a time: Node's recursive mkdirSync never returns for some paths (under
 * /proc), and a file where a directory should be deserves its own sentence.
 */
function makeDirectories(directory: string): void {
  const missing: string[] = [];
  let existing = directory;
  while (!existsSync(existing)) {
    missing.unshift(existing);
    const parent = dirname(existing);
    if (parent === existing) break;
    existing = parent;
  }
  if (existsSync(existing) && !statSync(existing).isDirectory()) throw new CliError(`${shown(existing)} is a file, not a directory`, 'Choose another directory.');
  for (const d of missing) mkdirSync(d);
}

