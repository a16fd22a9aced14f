// The user plugins folder: an npm project whose node_modules the runner scans, sharing the runner's @rivulet/core.
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';

export const CORE_PACKAGE = '@rivulet/core';

/** `~/.rivulet/plugins`: where `rivulet plugins add` installs when no --plugins folder is given. */
export function defaultPluginsDir(): string {
  return join(homedir(), '.rivulet', 'plugins');
}

/** The folder of the @rivulet/core package this runner loads. */
export function runnerCoreDir(): string {
  return dirname(createRequire(import.meta.url).resolve(`${CORE_PACKAGE}/package.json`));
}

export interface PluginsManifest {
  name?: string;
  private?: boolean;
  description?: string;
  dependencies?: Record<string, string>;
  [key: string]: unknown;
}

const manifestPath = (dir: string): string => join(dir, 'package.json');

/** The folder's package.json, or undefined when the folder has none yet. */
export async function readManifest(dir: string): Promise<PluginsManifest | undefined> {
  try {
    return JSON.parse(await readFile(manifestPath(dir), 'utf8')) as PluginsManifest;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`${manifestPath(dir)}: ${(error as Error).message}`);
  }
}

/** Installed plugin packages: the folder's dependencies without the linked core. */
export function pluginDependencies(manifest: PluginsManifest | undefined): Record<string, string> {
  const { [CORE_PACKAGE]: _core, ...plugins } = manifest?.dependencies ?? {};
  return plugins;
}

/**
 * Creates the folder's package.json if missing and points its @rivulet/core at the runner's
 * own copy (a link, not a download): plugins then import the very core that loads them, and
 * their peer range is checked against it.
 */
export async function preparePluginsDir(dir: string, coreDir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const manifest: PluginsManifest = (await readManifest(dir)) ?? {
    name: 'rivulet-user-plugins',
    private: true,
    description: 'Rivulet plugins installed with `rivulet plugins add`',
  };
  manifest.dependencies = { ...manifest.dependencies, [CORE_PACKAGE]: `file:${coreDir}` };
  await writeFile(manifestPath(dir), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Keeps a local tarball inside the folder, so a later install still finds it after the original is gone. */
export async function keepTarball(dir: string, tarball: string): Promise<string> {
  const kept = join(dir, 'tarballs', basename(tarball));
  await mkdir(dirname(kept), { recursive: true });
  if (kept !== tarball) await copyFile(tarball, kept);
  return `file:tarballs/${basename(tarball)}`;
}
