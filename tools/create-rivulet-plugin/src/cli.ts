// The create-rivulet-plugin command line: parse arguments, render the template, write it, say what next.
import { resolve, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { pluginNames, PluginNameError } from './names.js';
import { renderPlugin } from './template.js';
import { writePlugin, WriteError } from './write.js';

export interface CliIo {
  readonly cwd: string;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

export const USAGE = `Usage: npm create rivulet-plugin <name> [-- options]
       create-rivulet-plugin <name> [options]

Creates a Rivulet plugin package with one example node (<name>/scale), its test and a README.
<name> is a short name ("acme-scale" → package rivulet-plugin-acme-scale) or a package name
("@acme/rivulet-plugin-scale" → node types scale/…).

Options:
  --dir <dir>             folder to create (default: ./<name>)
  --package <name>        npm package name (default: derived from <name>)
  --description <text>    package description
  -h, --help              show this help`;

/** Runs the command; resolves to the process exit code (0 done, 2 usage or name error, 1 failure). */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        dir: { type: 'string' },
        package: { type: 'string' },
        description: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    io.err(`create-rivulet-plugin: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    io.err(`create-rivulet-plugin: expected one plugin name, got ${positionals.length}\n\n${USAGE}`);
    return 2;
  }
  try {
    const names = pluginNames(positionals[0]!, values.package === undefined ? {} : { packageName: values.package });
    const dir = resolve(io.cwd, values.dir ?? names.name);
    const files = await renderPlugin({ names, layout: 'standalone', ...(values.description === undefined ? {} : { description: values.description }) });
    await writePlugin(dir, files);
    const shown = relative(io.cwd, dir) || '.';
    io.out(`Created ${names.packageName} in ${shown} (node type ${names.name}/scale).`);
    io.out('');
    io.out('Next:');
    if (shown !== '.') io.out(`  cd ${shown}`);
    io.out('  npm install');
    io.out('  npm run build && npm test');
    return 0;
  } catch (error) {
    if (error instanceof PluginNameError) {
      io.err(`create-rivulet-plugin: ${error.message}`);
      return 2;
    }
    if (error instanceof WriteError) {
      io.err(`create-rivulet-plugin: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
