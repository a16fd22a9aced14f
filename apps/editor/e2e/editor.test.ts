// Acceptance tests: the built editor in headless Chromium against a real `rivulet serve`.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { browserReady, dragFromPalette, freePort, dragHandle, editorGraph, editorGraphText, launchBrowser, openEditor, removeDir, startRunner, type Runner } from './harness.js';

const shots = join(import.meta.dirname, '..', 'test-results');

describe.skipIf(!browserReady)('the editor in a browser', () => {
  let runner: Runner;
  let browser: Browser;

  beforeAll(async () => {
    runner = await startRunner();
    browser = await launchBrowser();
    await mkdir(shots, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await runner?.stop();
    if (runner) await removeDir(runner.dir);
  });

  async function freshPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, colorScheme: 'dark', acceptDownloads: true });
    const page = await context.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    return page;
  }

  it('builds a graph from the palette, refuses a bad edge and a bad param, saves, runs with live counters and stops', async () => {
    const page = await freshPage();
    try {
      await openEditor(page, runner.url);
      await dragFromPalette(page, 'gstreamer/test-video', 120, 140);
      await dragFromPalette(page, 'gstreamer/to-node', 400, 140);
      await dragFromPalette(page, 'basics/log', 640, 140);
      await dragFromPalette(page, 'basics/map', 400, 380);
      expect((await editorGraph(page)).nodes.map((node) => node.type)).toEqual(['gstreamer/test-video', 'gstreamer/to-node', 'basics/log', 'basics/map']);

      await dragHandle(page, 'handle-test-video-out-out', 'handle-to-node-in-in');
      await dragHandle(page, 'handle-to-node-out-out', 'handle-log-in-in');
      expect((await editorGraph(page)).edges).toEqual([
        { from: 'test-video.out', to: 'to-node.in' },
        { from: 'to-node.out', to: 'log.in' },
      ]);

      // video/raw into a json input: refused while dragging, with the reason, and no edge added.
      let hint = '';
      await dragHandle(page, 'handle-test-video-out-out', 'handle-map-in-in', async () => {
        hint = (await page.getByTestId('connection-hint').textContent({ timeout: 3_000 })) ?? '';
      });
      expect(hint).toBe('refused: test-video.out → map.in: output is video/raw, input accepts json');
      await expect.poll(() => page.getByTestId('toast').textContent()).toContain('output is video/raw, input accepts json');
      expect((await editorGraph(page)).edges).toHaveLength(2);

      // The stray node goes with the Delete key.
      await page.getByTestId('node-map').click();
      await page.keyboard.press('Delete');
      await expect.poll(async () => (await editorGraph(page)).nodes.map((node) => node.id)).toEqual(['test-video', 'to-node', 'log']);

      // A bad param shows on its field as it is typed; a good one clears it.
      await page.getByTestId('node-test-video').click();
      const width = page.getByTestId('param-test-video-width');
      await width.fill('99999');
      await expect.poll(() => page.getByTestId('param-test-video-width-problem').textContent()).toBe('width: must be at most 7680');
      await width.fill('160');
      await expect(page.getByTestId('param-test-video-width-problem').count()).resolves.toBe(0);
      await page.getByTestId('param-test-video-height').fill('120');
      await page.getByTestId('param-test-video-framerate').fill('10');
      await page.getByTestId('node-to-node').click();
      await page.getByTestId('param-to-node-format').selectOption('frames');
      expect((await editorGraph(page)).nodes.map((node) => node.params)).toEqual([{ width: 160, height: 120, framerate: 10 }, { format: 'frames' }, {}]);

      const unplaced = JSON.stringify((await editorGraph(page)).nodes.map((node) => node.position));
      await page.getByTestId('layout').click();
      await expect.poll(async () => JSON.stringify((await editorGraph(page)).nodes.map((node) => node.position))).not.toBe(unplaced);
      const placed = (await editorGraph(page)).nodes.map((node) => node.position!.x);
      expect(placed[0]).toBeLessThan(placed[1]!);
      expect(placed[1]).toBeLessThan(placed[2]!);

      await page.keyboard.press('Control+s');
      await expect.poll(() => page.getByTestId('toast').textContent()).toBe('saved untitled');
      const stored = JSON.parse(await readFile(join(runner.dir, 'untitled.json'), 'utf8')) as unknown;
      expect(stored).toMatchObject({ id: 'untitled', nodes: (await editorGraph(page)).nodes.map((node) => ({ id: node.id, type: node.type })) });

      await page.getByTestId('start').click();
      await expect.poll(() => page.getByTestId('node-test-video').getAttribute('data-state'), { timeout: 20_000 }).toBe('running');
      await expect.poll(() => page.getByTestId('node-log').getAttribute('data-state'), { timeout: 10_000 }).toBe('running');
      const label = page.getByTestId('edge-label-to-node.out->log.in');
      const count = async () => Number(await label.getAttribute('data-messages'));
      await expect.poll(count, { timeout: 10_000 }).toBeGreaterThan(0);
      const first = await count();
      await expect.poll(count, { timeout: 10_000 }).toBeGreaterThan(first);
      expect(await label.textContent()).toMatch(/^[\d.]+\/s · [\d.]+ [kM]?b\/s/);
      await expect.poll(() => page.getByTestId('logs-list').locator('li').count()).toBeGreaterThan(0);
      await page.screenshot({ path: join(shots, 'editor-running.png') });
      await page.getByTestId('node-test-video').click();
      await page.screenshot({ path: join(shots, 'editor-running-inspector.png') });
      await page.getByRole('button', { name: 'Switch theme' }).click();
      await expect.poll(() => page.evaluate(() => document.documentElement.dataset['theme'])).toBe('light');
      await page.screenshot({ path: join(shots, 'editor-running-light.png') });

      await page.getByTestId('stop').click();
      await expect.poll(() => page.getByTestId('graph-state').textContent(), { timeout: 15_000 }).toBe('stopped');
      await expect.poll(() => page.getByTestId('node-test-video').getAttribute('data-state')).toBe('stopped');
    } finally {
      await page.context().close();
    }
  });

  it('restores the exact graph JSON with undo and redo across 20 edits', async () => {
    const page = await freshPage();
    try {
      await openEditor(page, runner.url);
      await page.getByTestId('new-graph').click();
      await expect.poll(async () => (await editorGraph(page)).nodes.length).toBe(0);
      const versions = [await editorGraphText(page)];
      const search = page.getByTestId('palette-search');
      for (let i = 0; i < 20; i += 1) {
        const step = i % 5;
        if (step === 0) {
          await search.fill('inject');
          await search.press('Enter');
        } else if (step === 1) {
          const id = (await editorGraph(page)).nodes.at(-1)!.id;
          await page.getByTestId(`param-${id}-intervalMs`).fill(String(100 + i));
        } else if (step === 2) {
          const id = (await editorGraph(page)).nodes.at(-1)!.id;
          await page.getByTestId(`param-${id}-expression`).fill(`n * ${i}`);
        } else if (step === 3) {
          await search.fill('basics log');
          await search.press('Enter');
        } else {
          const graph = await editorGraph(page);
          const from = graph.nodes.at(-2)!.id;
          const to = graph.nodes.at(-1)!.id;
          await page.getByTestId('fit').click();
          await page.waitForTimeout(400); // the fit animates for 200 ms
          await dragHandle(page, `handle-${from}-out-out`, `handle-${to}-in-in`);
        }
        await expect.poll(() => editorGraphText(page), { message: `edit ${i} changes the graph` }).not.toBe(versions.at(-1));
        versions.push(await editorGraphText(page));
      }
      expect(new Set(versions).size).toBe(21);
      await page.getByTestId('canvas').click({ position: { x: 5, y: 5 } });
      for (let i = versions.length - 2; i >= 0; i -= 1) {
        await page.keyboard.press('Control+z');
        await expect.poll(() => editorGraphText(page)).toBe(versions[i]);
      }
      for (let i = 1; i < versions.length; i += 1) {
        await page.keyboard.press('Control+Shift+z');
        await expect.poll(() => editorGraphText(page)).toBe(versions[i]);
      }
    } finally {
      await page.context().close();
    }
  });

  it('exports a graph and imports it back unchanged, and lists the problems of a bad file', async () => {
    const page = await freshPage();
    try {
      await openEditor(page, runner.url);
      const fixture = {
        rivulet: 1,
        id: 'roundtrip',
        name: 'Round trip',
        nodes: [
          { id: 'tick', type: 'basics/inject', params: { intervalMs: 500, expression: '{ n: n }' }, position: { x: 0, y: 0 } },
          { id: 'double', type: 'basics/map', params: { expression: 'msg.n * 2' }, position: { x: 300, y: 0 } },
          { id: 'print', type: 'basics/log', params: { level: 'warn' }, position: { x: 600, y: 0 }, onError: 'ignore' },
        ],
        edges: [
          { from: 'tick.out', to: 'double.in' },
          { from: 'double.out', to: 'print.in' },
        ],
      };
      const fixturePath = join(runner.dir, '..', `rivulet-editor-fixture-${runner.port}.json`);
      await writeFile(fixturePath, JSON.stringify(fixture, null, 2));
      try {
        await page.getByTestId('import-file').setInputFiles(fixturePath);
        await expect.poll(() => editorGraph(page)).toEqual(fixture);

        const download = page.waitForEvent('download');
        await page.getByTestId('export').click();
        const exportedPath = await (await download).path();
        const exported = await readFile(exportedPath, 'utf8');
        expect(JSON.parse(exported)).toEqual(fixture);

        await page.getByTestId('new-graph').click();
        await expect.poll(async () => (await editorGraph(page)).id).not.toBe('roundtrip');
        await page.getByTestId('import-file').setInputFiles({ name: 'roundtrip.json', mimeType: 'application/json', buffer: Buffer.from(exported) });
        await expect.poll(() => editorGraphText(page)).toBe(JSON.stringify(fixture));

        await page.getByTestId('import-file').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{\n  "rivulet": 1,\n  "nodes": [,]\n}') });
        await expect.poll(() => page.getByTestId('problems-dialog').textContent()).toContain('not valid JSON (line 3, column 13)');
        await page.getByTestId('problems-dialog').getByRole('button', { name: 'Close' }).click();
        expect(await editorGraphText(page)).toBe(JSON.stringify(fixture));

        const unknown = { ...fixture, id: 'with-ghost', nodes: [...fixture.nodes, { id: 'ghost', type: 'nowhere/ghost', params: {}, position: { x: 300, y: 200 } }], edges: [...fixture.edges, { from: 'double.out', to: 'ghost.in' }] };
        await page.getByTestId('import-file').setInputFiles({ name: 'ghost.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(unknown)) });
        await expect.poll(() => page.getByTestId('problems-dialog').textContent()).toContain('nodes[3] (ghost): unknown node type nowhere/ghost');
        await page.getByTestId('problems-dialog').getByRole('button', { name: 'Close' }).click();
        expect((await editorGraph(page)).nodes.map((node) => node.id)).toEqual(['tick', 'double', 'print', 'ghost']);
        await expect.poll(() => page.getByTestId('node-ghost').textContent()).toContain('unknown node type');
        // The runner's validator reports it too, on the node.
        await expect.poll(() => page.getByTestId('problems-ghost').textContent(), { timeout: 5_000 }).toContain('nowhere/ghost');

        // Select all, copy, paste: a second copy with fresh ids and the edges between the copies.
        await page.getByTestId('canvas').click({ position: { x: 5, y: 5 } });
        await page.keyboard.press('Control+a');
        await page.keyboard.press('Control+c');
        await page.keyboard.press('Control+v');
        await expect.poll(async () => (await editorGraph(page)).nodes.length).toBe(8);
        const pasted = await editorGraph(page);
        expect(pasted.nodes.slice(4).map((node) => node.id)).toEqual(['tick-2', 'double-2', 'print-2', 'ghost-2']);
        expect(pasted.edges.slice(3)).toEqual([
          { from: 'tick-2.out', to: 'double-2.in' },
          { from: 'double-2.out', to: 'print-2.in' },
          { from: 'double-2.out', to: 'ghost-2.in' },
        ]);
      } finally {
        await removeDir(fixturePath);
      }
    } finally {
      await page.context().close();
    }
  });

  it('previews a video edge over WHEP from the router it feeds, with frames decoding in the page', async () => {
    const routerPort = await freePort();
    const graph = {
      rivulet: 1,
      id: 'preview',
      name: 'Preview',
      nodes: [
        { id: 'cam', type: 'gstreamer/test-video', params: { width: 320, height: 240, framerate: 30 }, position: { x: 0, y: 0 } },
        { id: 'enc', type: 'gstreamer/vp8-encoder', params: { targetBitrateKbps: 300, keyframeMaxDist: 30 }, position: { x: 260, y: 0 } },
        { id: 'tn', type: 'gstreamer/to-node', params: {}, position: { x: 520, y: 0 } },
        { id: 'sfu', type: 'webrtc/sfu-router', params: { port: routerPort, inputId: 'cam' }, position: { x: 780, y: 0 } },
      ],
      edges: [
        { from: 'cam.out', to: 'enc.in' },
        { from: 'enc.out', to: 'tn.in' },
        { from: 'tn.out', to: 'sfu.in' },
      ],
    };
    await writeFile(join(runner.dir, 'preview.json'), JSON.stringify(graph, null, 2));
    const started = await fetch(`http://127.0.0.1:${runner.port}/api/graphs/preview/start`, { method: 'POST', headers: { authorization: `Bearer ${runner.token}` } });
    expect(started.status).toBe(200);
    const page = await freshPage();
    try {
      const url = new URL(runner.url);
      url.searchParams.set('graph', 'preview');
      await openEditor(page, url.href);
      await expect.poll(async () => (await editorGraph(page)).id).toBe('preview');
      await page.getByTestId('edge-label-enc.out->tn.in').click();
      await page.getByTestId('preview-play').click();
      await expect
        .poll(async () => Number((await page.getByTestId('preview-frames').textContent({ timeout: 1_000 }).catch(() => '0'))?.match(/\d+/)?.[0] ?? 0), { timeout: 20_000 })
        .toBeGreaterThan(0);
      await page.screenshot({ path: join(shots, 'editor-preview.png') });
    } finally {
      await page.context().close();
      await fetch(`http://127.0.0.1:${runner.port}/api/graphs/preview/stop`, { method: 'POST', headers: { authorization: `Bearer ${runner.token}` } });
    }
  });

  it('shows a banner when the runner goes away, keeps the edits, and saves them once it is back', async () => {
    const page = await freshPage();
    try {
      await openEditor(page, runner.url);
      await page.getByTestId('new-graph').click();
      const search = page.getByTestId('palette-search');
      await search.fill('inject');
      await search.press('Enter');
      await expect.poll(async () => (await editorGraph(page)).nodes.length).toBe(1);
      const id = (await editorGraph(page)).id;

      await runner.stop();
      await page.getByTestId('offline-banner').waitFor({ timeout: 10_000 });
      await page.getByTestId('param-inject-intervalMs').fill('250');
      await page.keyboard.press('Control+s');
      await expect.poll(() => page.getByTestId('toast').textContent()).toContain('runner unreachable');
      const offlineEdits = await editorGraphText(page);

      runner = await startRunner({ dir: runner.dir, port: runner.port, token: runner.token });
      await page.getByTestId('offline-banner').waitFor({ state: 'detached', timeout: 15_000 });
      expect(await editorGraphText(page)).toBe(offlineEdits);
      await expect.poll(async () => readFile(join(runner.dir, `${id}.json`), 'utf8').then((text) => JSON.parse(text) as unknown, () => undefined), { timeout: 10_000 }).toMatchObject({
        id,
        nodes: [{ id: 'inject', type: 'basics/inject', params: { intervalMs: 250 } }],
      });
    } finally {
      await page.context().close();
    }
  });
});
