// `rivulet plugins list|add|remove`: manages the user plugins folder (an npm project) with npm underneath.
import { resolve } from 'node:path';
import { Command } from 'commander';
import { NpmError, runNpm } from './npm.js';
import { inspectPluginsDir, type InstalledPlugin } from './inspect.js';
import { defaultPluginsDir, pluginDependencies, preparePluginsDir, readManifest, runnerCoreDir } from './plugins-dir.js';
import { installableSpec, SpecError } from './specs.js';

export interface PluginsIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface PluginsCommandOptions {
  readonly io: PluginsIo;
  /** Receives the command's exit code: 0 done, 1 failed or refused. */
  readonly setExitCode: (code: number) => void;
  /** Folder used without --plugins (default ~/.rivulet/plugins). */
  readonly defaultDir?: string;
  /** The @rivulet/core the plugins share (default: the one this runner loads). */
  readonly coreDir?: string;
  /** The npm executable (default `npm`). */
  readonly npmCommand?: string;
  readonly npmTimeoutMs?: number;
}

interface DirOption {
  readonly plugins?: string;
}

const NPM_QUIET = ['--no-audit', '--no-fund', '--loglevel=error'];

function describe(plugin: InstalledPlugin): string {
  const version = plugin.version ? ` ${plugin.version}` : '';
  // Discovery's messages already start with the package name and version.
  return plugin.problem ? `refused: ${plugin.problem}` : `${plugin.name}${version}: ${plugin.nodeTypes.join(', ') || '(no node types)'}`;
}

/** The `plugins` command for the runner's program: `program.addCommand(pluginsCommand({ io, setExitCode }))`. */
export function pluginsCommand(options: PluginsCommandOptions): Command {
  const { io } = options;
  const out = (text: string): void => void io.stdout.write(`${text}\n`);
  const err = (text: string): void => void io.stderr.write(`${text}\n`);
  const dirOf = (flags: DirOption): string => (flags.plugins === undefined ? (options.defaultDir ?? defaultPluginsDir()) : resolve(io.cwd, flags.plugins));
  const npm = { env: io.env, ...(options.npmCommand ? { command: options.npmCommand } : {}), ...(options.npmTimeoutMs ? { timeoutMs: options.npmTimeoutMs } : {}) };

  // Errors become a message and exit code 1: the folder is the user's, a stack trace helps nobody.
  const guarded =
    <A extends unknown[]>(action: (...args: A) => Promise<number>) =>
    async (...args: A): Promise<void> => {
      try {
        options.setExitCode(await action(...args));
      } catch (error) {
        if (!(error instanceof NpmError || error instanceof SpecError)) throw error;
        err(`rivulet plugins: ${error.message}`);
        options.setExitCode(1);
      }
    };

  const command = new Command('plugins').description(`manage the user plugins folder (default ${defaultPluginsDir()}) with npm`);

  command
    .command('list')
    .description('list the installed plugins with their node types, and the ones the runner refuses')
    .option('--plugins <dir>', 'the plugins folder')
    .option('--json', 'print JSON')
    .action(
      guarded(async (flags: DirOption & { json?: boolean }) => {
        const dir = dirOf(flags);
        const installed = await inspectPluginsDir(dir);
        if (flags.json) {
          out(JSON.stringify({ dir, plugins: installed }, null, 2));
        } else if (installed.length === 0) {
          out(`No plugins in ${dir} (add one with: rivulet plugins add <npm-spec>)`);
        } else {
          out(`Plugins in ${dir}:`);
          for (const plugin of installed) out(`  ${describe(plugin)}`);
        }
        return 0;
      }),
    );

  command
    .command('add')
    .description('install plugin packages (npm name[@version], folder, tarball, git url) into the plugins folder')
    .argument('<npm-spec...>', 'what to install, as for npm install')
    .option('--plugins <dir>', 'the plugins folder')
    .option('--force', 'keep a package even when the runner refuses to load it')
    .action(
      guarded(async (specs: string[], flags: DirOption & { force?: boolean }) => {
        const dir = dirOf(flags);
        await preparePluginsDir(dir, options.coreDir ?? runnerCoreDir());
        const before = pluginDependencies(await readManifest(dir));
        const installable: string[] = [];
        for (const spec of specs) installable.push(await installableSpec(spec, io.cwd, dir, npm));
        // Peer ranges are checked below, against the linked core, with a message naming both
        // versions; npm's own peer resolution would fail with an opaque ERESOLVE instead.
        await runNpm(['install', '--save', '--legacy-peer-deps', ...NPM_QUIET, ...installable], { ...npm, cwd: dir });
        const after = pluginDependencies(await readManifest(dir));
        const changed = Object.keys(after).filter((name) => before[name] !== after[name]);
        if (changed.length === 0) {
          out(`Nothing new: ${specs.join(', ')} already installed in ${dir}`);
          return 0;
        }
        const installed = (await inspectPluginsDir(dir)).filter((plugin) => changed.includes(plugin.name));
        const refused = installed.filter((plugin) => plugin.problem !== undefined);
        for (const plugin of installed) (plugin.problem ? err : out)(`${plugin.problem ? '' : 'added '}${describe(plugin)}`);
        if (refused.length === 0) return 0;
        if (flags.force) {
          err(`kept ${refused.map((plugin) => plugin.name).join(', ')} because of --force; the runner will skip it`);
          return 0;
        }
        await runNpm(['uninstall', '--legacy-peer-deps', ...NPM_QUIET, ...refused.map((plugin) => plugin.name)], { ...npm, cwd: dir });
        err(`removed ${refused.map((plugin) => plugin.name).join(', ')} again (use --force to keep it)`);
        return 1;
      }),
    );

  command
    .command('remove')
    .description('uninstall plugin packages from the plugins folder')
    .argument('<name...>', 'package names')
    .option('--plugins <dir>', 'the plugins folder')
    .action(
      guarded(async (names: string[], flags: DirOption) => {
        const dir = dirOf(flags);
        const installed = pluginDependencies(await readManifest(dir));
        const missing = names.filter((name) => !(name in installed));
        if (missing.length > 0) {
          err(`rivulet plugins: not installed in ${dir}: ${missing.join(', ')}`);
          return 1;
        }
        await runNpm(['uninstall', '--legacy-peer-deps', ...NPM_QUIET, ...names], { ...npm, cwd: dir });
        for (const name of names) out(`removed ${name}`);
        return 0;
      }),
    );

  return command;
}
