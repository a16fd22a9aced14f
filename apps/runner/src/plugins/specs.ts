// What the user typed after `plugins add`, made installable: registry specs pass through, local folders and tarballs are kept in the plugins folder.
import { mkdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { runNpm, type NpmOptions } from './npm.js';
import { keepTarball } from './plugins-dir.js';

export class SpecError extends Error {
  override readonly name = 'SpecError';
  constructor(
    readonly code: 'missing-path' | 'pack-failed',
    message: string,
  ) {
    super(message);
  }
}

const TARBALL = /\.(tgz|tar\.gz)$/;

/** The local path a spec names (`./x`, `/x`, `~/x`, `file:x`, `x.tgz`), or undefined for a registry/git/url spec. */
export function localPathOf(spec: string, cwd: string): string | undefined {
  const raw = spec.startsWith('file:') ? spec.slice('file:'.length) : spec;
  const local = spec.startsWith('file:') || raw.startsWith('.') || isAbsolute(raw) || raw.startsWith('~/') || (TARBALL.test(raw) && !/^[a-z]+:\/\//.test(raw));
  if (!local) return undefined;
  return raw.startsWith('~/') ? join(homedir(), raw.slice(2)) : resolve(cwd, raw);
}

/**
 * Turns a spec into one npm can install into `dir` and still find later: a local folder is
 * packed (as publishing would) and its tarball kept in `dir/tarballs`, a local tarball is
 * copied there, anything else goes to npm as typed.
 */
export async function installableSpec(spec: string, cwd: string, dir: string, npm: Omit<NpmOptions, 'cwd'>): Promise<string> {
  const path = localPathOf(spec, cwd);
  if (path === undefined) return spec;
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(path)).isDirectory();
  } catch {
    throw new SpecError('missing-path', `${spec}: no such file or folder (${path})`);
  }
  if (!isDirectory) return keepTarball(dir, path);
  const destination = join(dir, 'tarballs');
  await mkdir(destination, { recursive: true });
  let packed: { filename?: unknown }[];
  try {
    const { stdout } = await runNpm(['pack', path, '--pack-destination', destination, '--json', '--loglevel=error'], { ...npm, cwd: dir });
    packed = JSON.parse(stdout.slice(stdout.indexOf('['))) as { filename?: unknown }[];
  } catch (error) {
    throw new SpecError('pack-failed', `${spec}: could not pack the folder: ${(error as Error).message}`);
  }
  const filename = packed[0]?.filename;
  if (typeof filename !== 'string') throw new SpecError('pack-failed', `${spec}: npm pack did not name the tarball it wrote`);
  return `file:tarballs/${filename}`;
}
