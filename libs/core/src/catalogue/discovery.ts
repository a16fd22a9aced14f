// Plugin discovery: finds installed packages whose package.json has a "rivulet" field and loads their plugin.
import { readFileSync } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isPlugin, type Plugin } from '../plugin/define.js';
import { errorMessage } from '../errors.js';
import { Catalogue, type PluginProblem } from './catalogue.js';

export interface DiscoveredPlugin {
  readonly plugin: Plugin;
  readonly packageName: string;
  readonly version: string;
  /** The package's folder. */
  readonly path: string;
}

export interface DiscoveryOptions {
  /** Each root's node_modules and those of its ancestors are scanned, like Node's resolution. */
  readonly roots: readonly string[];
  /** Extra folders whose own node_modules are scanned, e.g. ~/.rivulet/plugins. */
  readonly pluginDirs?: readonly string[];
  /** Defaults to this package's version. */
  readonly coreVersion?: string;
  /** How long one plugin's entry may take to import before it is reported and skipped (default 10 s). */
  readonly importTimeoutMs?: number;
}

export interface DiscoveryResult {
  readonly plugins: DiscoveredPlugin[];
  readonly problems: PluginProblem[];
}

interface Semver {
  satisfies(version: string, range: string, options?: { includePrerelease?: boolean }): boolean;
  validRange(range: string): string | null;
}

// semver ships CommonJS without type declarations; this is the part of its API used here.
const semver = createRequire(import.meta.url)('semver') as Semver;

const CORE_PACKAGE = '@rivulet/core';
const DEFAULT_IMPORT_TIMEOUT_MS = 10_000;

/** This package's version, read from its package.json (the same relative place from src/ and dist/). */
export const rivuletCoreVersion: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

interface Candidate {
  readonly dir: string;
  readonly manifest: Record<string, unknown>;
  readonly name: string;
  readonly version: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** node_modules folders in resolution order: each root and its ancestors, then each plugin dir. */
function moduleDirs(options: DiscoveryOptions): string[] {
  const dirs: string[] = [];
  for (const root of options.roots) {
    let dir = resolve(root);
    for (;;) {
      // Like Node, never look for node_modules/node_modules.
      if (basename(dir) !== 'node_modules') dirs.push(join(dir, 'node_modules'));
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  for (const pluginDir of options.pluginDirs ?? []) dirs.push(join(resolve(pluginDir), 'node_modules'));
  return [...new Set(dirs)];
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((name) => !name.startsWith('.')).sort();
  } catch {
    return [];
  }
}

/** Package folders in a node_modules folder: `name` and `@scope/name`, symlinks followed (workspaces link there). */
async function packageDirs(nodeModules: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of await listDir(nodeModules)) {
    const path = join(nodeModules, name);
    if (name.startsWith('@')) {
      for (const scoped of await listDir(path)) out.push(join(path, scoped));
    } else {
      out.push(path);
    }
  }
  return out;
}

async function readManifest(dir: string): Promise<Record<string, unknown> | undefined> {
  try {
    const manifest: unknown = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    return isObject(manifest) ? manifest : undefined;
  } catch {
    // Not a package, or one whose package.json we cannot read: it cannot declare itself a plugin.
    return undefined;
  }
}

/** Every package with a "rivulet" field, the first of each name in resolution order. */
async function findCandidates(options: DiscoveryOptions): Promise<Candidate[]> {
  const seen = new Set<string>();
  const candidates: Candidate[] = [];
  for (const nodeModules of moduleDirs(options)) {
    const dirs = await packageDirs(nodeModules);
    const manifests = await Promise.all(dirs.map(readManifest));
    dirs.forEach((dir, i) => {
      const manifest = manifests[i];
      if (!manifest || manifest['rivulet'] === undefined) return;
      const name = typeof manifest['name'] === 'string' ? manifest['name'] : relative(nodeModules, dir);
      if (seen.has(name)) return;
      seen.add(name);
      candidates.push({ dir, manifest, name, version: typeof manifest['version'] === 'string' ? manifest['version'] : '0.0.0' });
    });
  }
  return candidates;
}

function entryOf(manifest: Record<string, unknown>): string | undefined {
  const field = manifest['rivulet'];
  if (typeof field === 'string' && field !== '') return field;
  if (isObject(field) && typeof field['entry'] === 'string' && field['entry'] !== '') return field['entry'];
  return undefined;
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The plugin a module exports: its default export, or a named `plugin` export. */
function pluginExport(module: Record<string, unknown>): Plugin | undefined {
  const { default: fallback, plugin } = module;
  for (const value of [fallback, plugin, isObject(fallback) ? fallback['default'] : undefined]) if (isPlugin(value)) return value;
  return undefined;
}

/** Why a plugin object cannot be catalogued, if it cannot (a hand-made object may lack parts). */
function pluginShapeProblem(plugin: Plugin): string | undefined {
  if (typeof plugin.name !== 'string' || plugin.name === '') return 'its plugin has no name';
  if (!Array.isArray(plugin.nodes)) return 'its plugin has no nodes array';
  const bad = plugin.nodes.findIndex((node) => !isObject(node) || typeof node.type !== 'string' || !isObject(node.params) || typeof node.create !== 'function');
  if (bad >= 0) return `its node #${bad} is not a node definition (needs type, params schema and create)`;
  return undefined;
}

async function load(candidate: Candidate, core: string, timeoutMs: number): Promise<DiscoveredPlugin | PluginProblem> {
  const { dir, manifest, name, version } = candidate;
  const label = `${name} ${version}`;
  const problem = (message: string): PluginProblem => ({ package: name, path: dir, message: `${label}: ${message}` });

  const peers = manifest['peerDependencies'];
  const range = isObject(peers) && typeof peers[CORE_PACKAGE] === 'string' ? peers[CORE_PACKAGE] : undefined;
  if (range !== undefined) {
    if (!semver.validRange(range)) return problem(`its peerDependencies["${CORE_PACKAGE}"] "${range}" is not a valid version range`);
    if (!semver.satisfies(core, range, { includePrerelease: true })) {
      return { package: name, path: dir, message: `${label} needs ${CORE_PACKAGE} ${range}, this is ${core}` };
    }
  }

  const entry = entryOf(manifest);
  if (entry === undefined) return problem('its "rivulet" field must be the entry path (a string) or { "entry": "./dist/index.js" }');
  const entryPath = resolve(dir, entry);
  const inside = relative(dir, entryPath);
  if (inside.startsWith('..') || isAbsolute(inside)) return problem(`its entry ${entry} is outside the package`);
  try {
    if (!(await stat(entryPath)).isFile()) return problem(`its entry ${entry} is not a file`);
  } catch {
    return problem(`its entry file ${entry} does not exist (is the package built?)`);
  }

  let module: Record<string, unknown>;
  try {
    const url = pathToFileURL(await realpath(entryPath)).href;
    module = (await withTimeout(import(url) as Promise<Record<string, unknown>>, timeoutMs, `importing ${entry} took longer than ${timeoutMs} ms`)) ?? {};
  } catch (error) {
    return problem(`failed to load ${entry}: ${errorMessage(error)}`);
  }
  const plugin = pluginExport(module);
  if (!plugin) return problem(`${entry} exports no plugin (expected a default or named "plugin" export made with definePlugin)`);
  const shape = pluginShapeProblem(plugin);
  if (shape) return problem(shape);
  return { plugin, packageName: name, version, path: dir };
}

/**
 * Finds installed Rivulet plugins (packages whose package.json has a "rivulet" field) and
 * imports them. A package that cannot be loaded is reported in `problems` and skipped.
 */
export async function discoverPlugins(options: DiscoveryOptions): Promise<DiscoveryResult> {
  const core = options.coreVersion ?? rivuletCoreVersion;
  const timeoutMs = options.importTimeoutMs ?? DEFAULT_IMPORT_TIMEOUT_MS;
  const candidates = await findCandidates(options);
  const loaded = await Promise.all(candidates.map((candidate) => load(candidate, core, timeoutMs)));
  const plugins: DiscoveredPlugin[] = [];
  const problems: PluginProblem[] = [];
  for (const result of loaded) {
    if ('plugin' in result) plugins.push(result);
    else problems.push(result);
  }
  return { plugins, problems };
}

/**
 * A catalogue of the given plugins plus the discovered ones (a discovered plugin with the
 * same name as a given one is skipped: the given one wins). Problems land in catalogue.problems.
 */
export async function loadCatalogue(options: DiscoveryOptions & { readonly plugins?: readonly Plugin[] }): Promise<Catalogue> {
  const given = options.plugins ?? [];
  const catalogue = new Catalogue(given);
  const { plugins, problems } = await discoverPlugins(options);
  const names = new Set(given.map((plugin) => plugin.name));
  for (const { plugin, version } of plugins) {
    if (names.has(plugin.name)) continue;
    names.add(plugin.name);
    // The catalogue shows the plugin's version; the package's is the truth when the plugin does not say.
    catalogue.add(plugin.version ? plugin : Object.freeze({ ...plugin, version }));
  }
  catalogue.problems.push(...problems);
  return catalogue;
}
