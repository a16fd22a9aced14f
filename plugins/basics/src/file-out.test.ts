import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNode } from '@rivulet/core/testing';
import { interval, map, take } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileOutNode } from './file-out.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rivulet-file-out-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('basics/file-out', () => {
  it('appends one JSON line per message, all written by the time the graph has stopped', async () => {
    const path = join(dir, 'out.jsonl');
    const messages = Array.from({ length: 500 }, (_, i) => ({ i, text: `line ${i}` }));
    await runNode(fileOutNode, { params: { path, mode: 'lines' }, inputs: { in: messages } });
    await runNode(fileOutNode, { params: { path }, inputs: { in: ['more', 7] } });
    const lines = (await readFile(path, 'utf8')).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([...messages, 'more', 7]);
  });

  it('replaces the file atomically: a concurrent reader never sees a partial write', async () => {
    const path = join(dir, 'latest.json');
    // Big messages, so a non-atomic write would be caught half-done.
    const feed = interval(2).pipe(
      take(60),
      map((seq) => ({ seq, pad: 'x'.repeat(200_000) })),
    );
    let reading = true;
    let reads = 0;
    const reader = (async () => {
      while (reading) {
        const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : Promise.reject(error)));
        if (text !== undefined) {
          expect(() => JSON.parse(text) as unknown, `read ${reads}`).not.toThrow();
          reads++;
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    try {
      await runNode(fileOutNode, { params: { path, mode: 'overwrite' }, inputs: { in: feed }, timeoutMs: 5000 });
    } finally {
      reading = false;
      await reader;
    }
    expect(reads).toBeGreaterThan(5);
    expect((JSON.parse(await readFile(path, 'utf8')) as { seq: number }).seq).toBe(59);
    expect(await readdir(dir)).toEqual(['latest.json']);
  });

  it('writes strings and Buffers raw in overwrite mode', async () => {
    const path = join(dir, 'raw.bin');
    await runNode(fileOutNode, { params: { path, mode: 'overwrite' }, inputs: { in: [Buffer.from([1, 2, 3])] } });
    expect([...(await readFile(path))]).toEqual([1, 2, 3]);
    await runNode(fileOutNode, { params: { path, mode: 'overwrite' }, inputs: { in: ['plain text'] } });
    expect(await readFile(path, 'utf8')).toBe('plain text');
  });

  it('fails the node with an error naming the path when the file cannot be written', async () => {
    for (const mode of ['lines', 'overwrite'] as const) {
      const path = join(dir, 'missing-dir', `out-${mode}`);
      const { final } = await runNode(fileOutNode, { params: { path, mode }, inputs: { in: [{ a: 1 }] }, allowError: true, timeoutMs: 3000 });
      expect(final.nodes['node']?.state, mode).toBe('error');
      expect(final.nodes['node']?.text, mode).toContain(`file-out: cannot write ${path}`);
    }
  });
});
