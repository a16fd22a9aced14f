// What is installed in a plugins folder: each package with its node types, or why the runner refuses it.
import { discoverPlugins } from '@rivulet/core';
import { pluginDependencies, readManifest } from './plugins-dir.js';

export interface InstalledPlugin {
  readonly name: string;
  /** The spec it was installed from (as saved in the folder's package.json). */
  readonly spec: string;
  readonly version?: string;
  /** Node types it provides; empty when it is refused. */
  readonly nodeTypes: readonly string[];
  /** Why the runner will not load it (throws on import, core range, not a plugin…). */
  readonly problem?: string;
}

/** Every package installed in the folder, loaded the way the runner loads them. */
export async function inspectPluginsDir(dir: string): Promise<InstalledPlugin[]> {
  const installed = pluginDependencies(await readManifest(dir));
  if (Object.keys(installed).length === 0) return [];
  const { plugins, problems } = await discoverPlugins({ roots: [], pluginDirs: [dir] });
  return Object.entries(installed)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, spec]): InstalledPlugin => {
      const found = plugins.find((plugin) => plugin.packageName === name);
      if (found) return { name, spec, version: found.version, nodeTypes: found.plugin.nodes.map((node) => node.type).sort() };
      const problem = problems.find((entry) => entry.package === name);
      return {
        name,
        spec,
        nodeTypes: [],
        problem: problem?.message ?? 'not a Rivulet plugin: its package.json has no "rivulet" field naming the plugin entry',
      };
    });
}
