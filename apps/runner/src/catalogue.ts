// The runner's catalogue: plugins installed beside the working folder or the runner, plus a plugins folder.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadCatalogue, type Catalogue } from '@rivulet/core';
import { packageDir } from './package-info.js';
import { defaultPluginsDir } from './plugins/index.js';
import { line, type CliIo } from './io.js';

/** `--plugins <dir>` if given, else `~/.rivulet/plugins` when it exists. */
export function pluginDirs(io: CliIo, plugins: string | undefined): string[] {
  if (plugins !== undefined) return [resolve(io.cwd, plugins)];
  const home = defaultPluginsDir();
  return existsSync(home) ? [home] : [];
}

export async function loadRunnerCatalogue(io: CliIo, plugins: string | undefined): Promise<Catalogue> {
  const catalogue = await loadCatalogue({ roots: [io.cwd, packageDir], pluginDirs: pluginDirs(io, plugins) });
  for (const problem of catalogue.problems) line(io.stderr, `warning: plugin ${problem.package}: ${problem.message}`);
  return catalogue;
}
