import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNode } from '@rivulet/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileInNode } from './file-in.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rivulet-file-in-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('basics/file-in', () => {
  it('emits each line of the file, then completes', async () => {
    const path = join(dir, 'in.txt');
    await writeFile(path, 'first\nsecond\r\n{"third":3}\n');
    const { outputs, final } = await runNode(fileInNode, { params: { path, mode: 'lines' } });
    expect(outputs.out).toEqual(['first', 'second', '{"third":3}']);
    expect(final.state).not.toBe('error');
  });

  it('streams a large file line by line', async () => {
    const path = join(dir, 'big.txt');
    await writeFile(path, Array.from({ length: 50_000 }, (_, i) => `row ${i}`).join('\n'));
    const { outputs } = await runNode(fileInNode, { params: { path } });
    expect(outputs.out.length).toBe(50_000);
    expect(outputs.out[49_999]).toBe('row 49999');
  });

  it('emits the whole text in text mode and the parsed value in json mode', async () => {
    const path = join(dir, 'doc.json');
    await writeFile(path, '{ "a": [1, 2], "b": "é" }\n');
    expect((await runNode(fileInNode, { params: { path, mode: 'text' } })).outputs.out).toEqual(['{ "a": [1, 2], "b": "é" }\n']);
    expect((await runNode(fileInNode, { params: { path, mode: 'json' } })).outputs.out).toEqual([{ a: [1, 2], b: 'é' }]);
  });

  it('fails the node with an error naming the path when the file is missing', async () => {
    for (const mode of ['lines', 'text', 'json'] as const) {
      const path = join(dir, 'nope.txt');
      const { final, outputs } = await runNode(fileInNode, { params: { path, mode }, allowError: true });
      expect(outputs.out, mode).toEqual([]);
      expect(final.nodes['node']?.state, mode).toBe('error');
      expect(final.nodes['node']?.text, mode).toContain(`file-in: cannot read ${path}`);
    }
  });

  it('fails the node naming the path when json mode meets invalid JSON', async () => {
    const path = join(dir, 'bad.json');
    await writeFile(path, '{ "a": ');
    const { final } = await runNode(fileInNode, { params: { path, mode: 'json' }, allowError: true });
    expect(final.nodes['node']?.text).toContain(`file-in: ${path} is not valid JSON`);
  });
});
