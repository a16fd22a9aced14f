// Editor benchmark: a 500-node, 600-edge graph in headless Chromium against a real `rivulet serve`.
// Measures load to interactive (navigation → every node drawn) and panning frame rate (requestAnimationFrame timing).
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import buildEditor from '../e2e/global-setup.js';
import { launchBrowser, removeDir, startRunner } from '../e2e/harness.js';

export interface EditorBenchResult {
  readonly results: {
    readonly nodes: number;
    readonly edges: number;
    /** Navigation → every node and edge drawn. */
    readonly drawnMs: number;
    /** Navigation → drawn and the main thread free again (two frames < 50 ms apart). */
    readonly loadMs: number;
    readonly panFps: number;
    readonly panFrames: number;
    readonly panSeconds: number;
    readonly worstFrameMs: number;
  };
  readonly ratios: { readonly loadBudget: number; readonly panFps: number };
}

const CHAINS = 100; // 5 nodes and 6 edges each

/** inject → map → map → map → log, plus two cross edges, per chain; positions set so nothing waits for layout. */
export function benchGraph(): object {
  const nodes: object[] = [];
  const edges: { from: string; to: string }[] = [];
  const types = ['basics/inject', 'basics/map', 'basics/map', 'basics/map', 'basics/log'];
  for (let chain = 0; chain < CHAINS; chain += 1) {
    const ids = types.map((_, i) => `c${chain}n${i}`);
    types.forEach((type, i) => {
      const params = type === 'basics/inject' ? { intervalMs: 1000 } : type === 'basics/map' ? { expression: 'msg' } : {};
      nodes.push({ id: ids[i], type, params, position: { x: i * 320, y: chain * 150 } });
    });
    for (let i = 0; i < 4; i += 1) edges.push({ from: `${ids[i]}.out`, to: `${ids[i + 1]}.in` });
    edges.push({ from: `${ids[0]}.out`, to: `${ids[2]}.in` }, { from: `${ids[1]}.out`, to: `${ids[3]}.in` });
  }
  return { rivulet: 1, id: 'bench-500', name: 'Editor benchmark (500 nodes)', nodes, edges };
}

export async function run(): Promise<EditorBenchResult> {
  buildEditor(); // when dist is missing or stale
  const dir = await mkdtemp(join(tmpdir(), 'rivulet-editor-bench-'));
  await writeFile(join(dir, 'bench-500.json'), JSON.stringify(benchGraph()));
  const runner = await startRunner({ dir });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    // Warm the HTTP cache and the browser's compile cache once, as a returning user would have them.
    await page.goto(`${runner.url}&graph=bench-500`);
    await page.waitForFunction(() => document.querySelectorAll('.react-flow__node').length >= 500, undefined, { timeout: 60_000 });

    // Every animation frame from the start of the page, to see when the main thread is free again.
    await page.addInitScript(() => {
      const frames: number[] = [];
      (window as unknown as { loadFrames: number[] }).loadFrames = frames;
      const tick = (time: number) => {
        frames.push(time);
        if (frames.length < 20_000) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await page.goto(`${runner.url}&graph=bench-500`);
    // Drawn = every node is in the DOM and visible (React Flow hides a node it cannot size yet).
    const drawnHandle = await page.waitForFunction(
      () => {
        const nodes = document.querySelectorAll<HTMLElement>('.react-flow__node');
        if (nodes.length < 500 || document.querySelectorAll('.react-flow__edge').length < 600) return false;
        for (const node of nodes) if (node.style.visibility === 'hidden') return false;
        return performance.now();
      },
      undefined,
      { timeout: 60_000, polling: 'raf' },
    );
    const drawn = (await drawnHandle.jsonValue()) as number;
    // Interactive = drawn, and then two frames in a row less than 50 ms apart (no long task in the way).
    await page.waitForTimeout(1_000);
    const load = await page.evaluate((after) => {
      const frames = (window as unknown as { loadFrames: number[] }).loadFrames;
      for (let i = 1; i < frames.length; i += 1) if (frames[i - 1]! >= after && frames[i]! - frames[i - 1]! < 50) return frames[i]!;
      return Number.POSITIVE_INFINITY;
    }, drawn);

    // Pan: drag the empty pane for ~2 s while the page records every animation frame.
    await page.evaluate(() => {
      const frames: number[] = [];
      (window as unknown as { benchFrames: number[] }).benchFrames = frames;
      const tick = (time: number) => {
        frames.push(time);
        if (frames.length < 100_000) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    const pane = await page.locator('.react-flow__pane').boundingBox();
    if (!pane) throw new Error('the canvas pane is not on screen');
    const start = { x: pane.x + pane.width * 0.8, y: pane.y + pane.height * 0.8 };
    await page.mouse.move(start.x, start.y);
    await page.mouse.down();
    const began = await page.evaluate(() => performance.now());
    const steps = 120;
    for (let i = 1; i <= steps; i += 1) {
      const t = i / steps;
      await page.mouse.move(start.x - t * pane.width * 0.6 + Math.sin(t * 12) * 40, start.y - t * pane.height * 0.6);
      await page.waitForTimeout(16);
    }
    await page.mouse.up();
    const ended = await page.evaluate(() => performance.now());
    const frames = await page.evaluate(() => (window as unknown as { benchFrames: number[] }).benchFrames);
    const during = frames.filter((time) => time >= began && time <= ended);
    const seconds = (ended - began) / 1000;
    const gaps = during.slice(1).map((time, i) => time - during[i]!);
    const panFps = during.length / seconds;
    return {
      results: {
        nodes: 500,
        edges: 600,
        drawnMs: Math.round(drawn),
        loadMs: Math.round(load),
        panFps: Math.round(panFps * 10) / 10,
        panFrames: during.length,
        panSeconds: Math.round(seconds * 100) / 100,
        worstFrameMs: Math.round(Math.max(0, ...gaps)),
      },
      ratios: { loadBudget: Math.round((1000 / load) * 100) / 100, panFps: Math.round((panFps / 30) * 100) / 100 },
    };
  } finally {
    await browser.close();
    await runner.stop();
    await removeDir(dir);
  }
}
