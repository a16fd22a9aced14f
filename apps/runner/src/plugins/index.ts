// The runner's `plugins` command and the user plugins folder it manages.
export { pluginsCommand, type PluginsCommandOptions, type PluginsIo } from './command.js';
export { defaultPluginsDir, runnerCoreDir } from './plugins-dir.js';
export { inspectPluginsDir, type InstalledPlugin } from './inspect.js';
