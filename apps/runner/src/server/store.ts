// Graph files in one folder: `<dir>/<id>.json`, ids checked so nothing escapes it, writes atomic.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { GRAPH_ID } from '@rivulet/core';

export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly code: 'invalid-id' | 'not-found' | 'exists' | 'unreadable',
    message: string,
  ) {
    super(message);
  }
}

/** Whether a string is a graph id (lowercase letters, digits, `_`, `-`): no dots or slashes, so never a path. */
export function isGraphId(id: string): boolean {
  return GRAPH_ID.test(id);
}

export interface StoredGraph {
  readonly id: string;
  /** The parsed file, or undefined when it is not JSON. */
  readonly document: unknown;
  readonly problem?: string;
}

export class GraphStore {
  constructor(readonly dir: string) {}

  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
  }

  private file(id: string): string {
    if (!isGraphId(id)) throw new StoreError('invalid-id', `invalid graph id ${JSON.stringify(id)}: lowercase letters, digits, _ or -, starting with a letter or digit (at most 64)`);
    return join(this.dir, `${id}.json`);
  }

  /** Ids of every `<id>.json` file whose name is a valid id. */
  async ids(): Promise<string[]> {
    const names = await readdir(this.dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    return names
      .filter((name) => name.endsWith('.json'))
      .map((name) => name.slice(0, -'.json'.length))
      .filter(isGraphId)
      .sort();
  }

  async exists(id: string): Promise<boolean> {
    const file = this.file(id);
    try {
      await (await open(file, 'r')).close();
      return true;
    } catch {
      return false;
    }
  }

  /** The raw text of a graph file; StoreError('not-found') if there is none. */
  async readText(id: string): Promise<string> {
    const file = this.file(id);
    try {
      return await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new StoreError('not-found', `graph ${id} not found`);
      throw error;
    }
  }

  /** The parsed graph file; StoreError('unreadable') when it is not JSON. */
  async read(id: string): Promise<unknown> {
    const text = await this.readText(id);
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new StoreError('unreadable', `graph file ${id}.json is not valid JSON: ${(error as Error).message}`);
    }
  }

  /** Every stored graph, with a problem instead of a document for files that are not JSON. */
  async list(): Promise<StoredGraph[]> {
    const out: StoredGraph[] = [];
    for (const id of await this.ids()) {
      try {
        out.push({ id, document: await this.read(id) });
      } catch (error) {
        out.push({ id, document: undefined, problem: (error as Error).message });
      }
    }
    return out;
  }

  /**
   * Writes the graph atomically: a temp file in the same folder, fsync, then rename over the
   * old file, so a crash mid-write leaves either the old graph or the new one, never half.
   */
  async write(id: string, document: unknown): Promise<void> {
    const file = this.file(id);
    const temp = join(this.dir, `.${id}.${randomBytes(6).toString('hex')}.tmp`);
    const handle = await open(temp, 'wx', 0o644);
    try {
      await handle.writeFile(`${JSON.stringify(document, null, 2)}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temp, file);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async remove(id: string): Promise<void> {
    const file = this.file(id);
    try {
      await rm(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new StoreError('not-found', `graph ${id} not found`);
      throw error;
    }
  }
}
