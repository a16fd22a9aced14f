// Browser-test harness: a real `rivulet serve` on a free port with a temporary graphs folder, and headless Chromium.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const workspaceRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const runnerMain = join(workspaceRoot, 'apps', 'runner', 'dist', 'main.js');
export const chromiumPath = '/usr/bin/chromium';
export const browserReady = existsSync(chromiumPath) && existsSync(runnerMain);

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => ok(port));
    });
  });
}

export interface Runner {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  readonly dir: string;
  readonly child: ChildProcess;
  /** Output so far, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts `rivulet serve <dir> --port <port> --token <token>` and waits until it answers. */
export async function startRunner(options: { dir?: string; port?: number; token?: string } = {}): Promise<Runner> {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'rivulet-editor-e2e-')));
  const port = options.port ?? (await freePort());
  const token = options.token ?? randomBytes(12).toString('hex');
  const child = spawn(process.execPath, [runnerMain, 'serve', dir, '--port', String(port), '--token', token], {
    cwd: workspaceRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so stop() also ends the GStreamer children
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 5_000);
      await exited;
      clearTimeout(timer);
    }
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`rivulet serve exited early:\n${output}`);
    if (output.includes('Rivulet serving')) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`rivulet serve did not start within 30 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url: `http://127.0.0.1:${port}/?token=${token}`, port, token, dir, child, output: () => output, stop };
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--allow-loopback-in-peer-connection',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
    ],
    timeout: 30_000,
  });
}

export interface EditorGraphJson {
  readonly id: string;
  readonly name?: string;
  readonly nodes: readonly { id: string; type: string; params?: Record<string, unknown>; position?: { x: number; y: number } }[];
  readonly edges: readonly { from: string; to: string }[];
}

/** The graph exactly as the editor would save it. */
export async function editorGraph(page: Page): Promise<EditorGraphJson> {
  return page.evaluate(() => (window as unknown as { rivuletEditor: { graph(): unknown } }).rivuletEditor.graph() as EditorGraphJson);
}

export async function editorGraphText(page: Page): Promise<string> {
  return JSON.stringify(await editorGraph(page));
}

/** Opens the editor and waits for the catalogue to fill the palette. */
export async function openEditor(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId('palette-basics/inject').waitFor({ timeout: 15_000 });
  await page.waitForFunction(() => (window as unknown as { rivuletEditor?: { graph(): unknown } }).rivuletEditor?.graph() !== undefined, undefined, { timeout: 15_000 });
}

/** Drags a node type from the palette and drops it at a point of the canvas (offsets from its top-left). */
export async function dragFromPalette(page: Page, type: string, x: number, y: number): Promise<void> {
  const before = (await editorGraph(page)).nodes.length;
  await page.getByTestId(`palette-${type}`).dragTo(page.getByTestId('canvas'), { targetPosition: { x, y } });
  await page.waitForFunction((count) => (window as unknown as { rivuletEditor: { graph(): { nodes: unknown[] } } }).rivuletEditor.graph().nodes.length > count, before, { timeout: 5_000 });
}

/** Presses the mouse on one handle and releases it on another, moving in steps so React Flow tracks the drag. */
export async function dragHandle(page: Page, fromTestId: string, toTestId: string, beforeRelease?: () => Promise<void>): Promise<void> {
  const from = await page.getByTestId(fromTestId).boundingBox();
  const to = await page.getByTestId(toTestId).boundingBox();
  if (!from || !to) throw new Error(`handle ${from ? toTestId : fromTestId} is not on screen`);
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 });
  await page.mouse.move(to.x + to.width / 2 + 1, to.y + to.height / 2, { steps: 2 });
  await beforeRelease?.();
  await page.mouse.up();
}
