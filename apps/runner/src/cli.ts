// The `rivulet` command line: builds the commander program and runs it against an io, returning the exit code.
import { Command, CommanderError } from 'commander';
import { pluginsCommand } from './plugins/index.js';
import { runCommand } from './commands/run.js';
import { validateCommand } from './commands/validate.js';
import { nodesCommand } from './commands/nodes.js';
import { serveCommand, type ServeOptions } from './commands/serve.js';
import { runnerVersion } from './package-info.js';
import type { CliIo } from './io.js';

export interface CliHooks {
  /** Passed to `serve`: called once the server listens. */
  readonly onListening?: ServeOptions['onListening'];
}

/** Runs the CLI with `args` (without `node` and the script) and resolves with the exit code. */
export async function runCli(args: readonly string[], io: CliIo, hooks: CliHooks = {}): Promise<number> {
  let code = 0;
  const program = new Command('rivulet')
    .description('Run, validate and serve Rivulet graphs')
    .version(runnerVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .showHelpAfterError();

  program
    .command('run')
    .description('validate and run a graph headless; Ctrl-C stops it cleanly')
    .argument('<graph.json>', 'the graph file')
    .option('--json', 'print one JSON event per line')
    .option('--explain', 'print the fused pipelines and exit')
    .option('--plugins <dir>', 'extra folder of plugin packages')
    .action(async (file: string, options: { json?: boolean; explain?: boolean; plugins?: string }) => {
      code = await runCommand(file, options, io);
    });

  program
    .command('validate')
    .description('check a graph file and print every problem (exit 2 if any)')
    .argument('<graph.json>', 'the graph file')
    .option('--plugins <dir>', 'extra folder of plugin packages')
    .action(async (file: string, options: { plugins?: string }) => {
      code = await validateCommand(file, options, io);
    });

  program
    .command('nodes')
    .description('list the node types of the installed plugins')
    .option('--json', 'print the catalogue as JSON')
    .option('--plugins <dir>', 'extra folder of plugin packages')
    .action(async (options: { json?: boolean; plugins?: string }) => {
      code = await nodesCommand(options, io);
    });

  program
    .command('serve')
    .description('serve the control API (and the editor) for graphs stored as files in dir')
    .argument('[dir]', 'folder of graph files (created if missing)', 'graphs')
    .option('--port <port>', 'TCP port', '7400')
    .option('--host <host>', 'address to bind; a non-loopback one needs an explicit token', '127.0.0.1')
    .option('--token <token>', 'access token (default: $RIVULET_TOKEN, else random)')
    .option('--demo', 'install and start the demo graph')
    .option('--plugins <dir>', 'extra folder of plugin packages')
    .action(async (dir: string, options: Omit<ServeOptions, 'onListening'>) => {
      code = await serveCommand(dir, { ...options, ...(hooks.onListening ? { onListening: hooks.onListening } : {}) }, io);
    });

  const plugins = pluginsCommand({ io, setExitCode: (exitCode) => (code = exitCode) });
  // addCommand() does not pass on exitOverride and the output streams as command() does.
  const inherit = (command: Command, parent: Command): void => {
    command.copyInheritedSettings(parent);
    for (const sub of command.commands) inherit(sub, command);
  };
  inherit(plugins, program);
  program.addCommand(plugins);

  try {
    await program.parseAsync([...args], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage errors with 1 → 2 (bad invocation).
      return error.exitCode === 0 ? 0 : 2;
    }
    io.stderr.write(`rivulet: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
  return code;
}
