import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from './cli.js';

describe('create-rivulet-plugin', () => {
  let cwd: string;
  let out: string[];
  let err: string[];
  const io = () => ({ cwd, out: (line: string) => out.push(line), err: (line: string) => err.push(line) });

  beforeEach(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'create-rivulet-plugin-'));
    out = [];
    err = [];
  });
  afterEach(async () => {
    await rm(cwd, { recursive: true, force: true });
  });

  it('creates the plugin folder and says what to run next', async () => {
    expect(await main(['acme-scale'], io())).toBe(0);
    expect((await readdir(join(cwd, 'acme-scale'))).sort()).toEqual(['.gitignore', 'README.md', 'package.json', 'src', 'tsconfig.json', 'vitest.config.ts']);
    expect(out.join('\n')).toContain('Created rivulet-plugin-acme-scale in acme-scale');
    expect(out.join('\n')).toContain('npm run build && npm test');
  });

  it('honours --dir, --package and --description', async () => {
    expect(await main(['lights', '--dir', 'work/l', '--package', '@me/lights', '--description', 'Lights'], io())).toBe(0);
    const pkg = JSON.parse(await readFile(join(cwd, 'work/l/package.json'), 'utf8'));
    expect(pkg).toMatchObject({ name: '@me/lights', description: 'Lights' });
    expect(await readFile(join(cwd, 'work/l/src/scale.ts'), 'utf8')).toContain(`type: 'lights/scale'`);
  });

  it('refuses to write into a folder that has files, and leaves them alone', async () => {
    await mkdir(join(cwd, 'taken'));
    await writeFile(join(cwd, 'taken', 'keep.txt'), 'mine');
    expect(await main(['taken'], io())).toBe(1);
    expect(err.join('\n')).toMatch(/taken exists and is not empty/);
    expect(await readdir(join(cwd, 'taken'))).toEqual(['keep.txt']);
  });

  it('exits 2 with the usage on a bad name, a missing name or an unknown option', async () => {
    expect(await main(['Bad Name'], io())).toBe(2);
    expect(await main([], io())).toBe(2);
    expect(await main(['ok', '--colour'], io())).toBe(2);
    expect(err.join('\n')).toMatch(/plugin name "Bad Name"/);
    expect(err.join('\n')).toMatch(/expected one plugin name, got 0/);
    expect(err.join('\n')).toMatch(/Unknown option '--colour'/);
  });

  it('prints help and exits 0', async () => {
    expect(await main(['--help'], io())).toBe(0);
    expect(out.join('\n')).toContain('Usage: npm create rivulet-plugin <name>');
  });
});
