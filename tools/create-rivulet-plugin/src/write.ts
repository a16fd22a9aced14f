// Writes a rendered plugin to disk, refusing to overwrite an existing non-empty folder.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { PluginFile } from './template.js';

export class WriteError extends Error {
  override readonly name = 'WriteError';
  constructor(
    readonly code: 'target-not-empty',
    message: string,
  ) {
    super(message);
  }
}

async function isEmptyOrMissing(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
}

/** Writes the files under `dir`; the folder must not exist yet or be empty. */
export async function writePlugin(dir: string, files: readonly PluginFile[]): Promise<void> {
  if (!(await isEmptyOrMissing(dir))) {
    throw new WriteError('target-not-empty', `${dir} exists and is not empty; choose another name or --dir`);
  }
  for (const file of files) {
    const path = join(dir, ...file.path.split('/'));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.content);
  }
}
