// `rivulet run <graph.json>`: validate, run headless, print status and metrics, stop cleanly on a signal.
import { GraphError, Runtime, type GraphStatus } from '@rivulet/core';
import { loadRunnerCatalogue } from '../catalogue.js';
import { loadGraphFile, printIssues } from '../graph-file.js';
import { formatEvent, formatMetrics } from '../format-event.js';
import { eventFrame } from '../event-frame.js';
import { line, type CliIo } from '../io.js';

export interface RunOptions {
  readonly json?: boolean;
  readonly explain?: boolean;
  readonly plugins?: string;
  /** How often a human metrics line is printed (default 5 s). */
  readonly metricsEveryMs?: number;
}

/** How long stopping may take after a signal before the command gives up waiting. */
const STOP_TIMEOUT_MS = 15_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Exit codes: 0 stopped by a signal or finished, 1 stopped by an error, 2 invalid graph. */
export async function runCommand(file: string, options: RunOptions, io: CliIo): Promise<number> {
  const catalogue = await loadRunnerCatalogue(io, options.plugins);
  const loaded = await loadGraphFile(file, catalogue);
  if (!loaded.ok) {
    printIssues(io.stderr, file, loaded.issues);
    return 2;
  }
  const document = loaded.graph.document;
  const runtime = new Runtime({ catalogue, metricsIntervalMs: 1000 });

  if (options.explain) {
    const groups = runtime.explain(document);
    if (options.json) line(io.stdout, JSON.stringify({ graphId: document.id, groups }));
    else if (groups.length === 0) line(io.stdout, `graph ${document.id}: nothing fuses; every node runs on its own`);
    else for (const group of groups) line(io.stdout, `${group.family} [${group.members.join(', ')}]:\n  ${group.text}`);
    return 0;
  }

  const metricsEvery = options.metricsEveryMs ?? 5_000;
  let lastMetrics = 0;
  const subscription = runtime.events$.subscribe((event) => {
    if (options.json) {
      line(io.stdout, eventFrame(event));
      return;
    }
    if (event.type === 'metrics') {
      if (event.time - lastMetrics < metricsEvery) return;
      lastMetrics = event.time;
      line(io.stdout, formatMetrics(event));
      return;
    }
    const text = formatEvent(event);
    if (text !== undefined) line(io.stdout, text);
  });

  try {
    let running;
    try {
      running = await runtime.start(document);
    } catch (error) {
      if (error instanceof GraphError) {
        printIssues(io.stderr, file, error.issues);
        return 2;
      }
      line(io.stderr, `${file}: cannot start: ${(error as Error).message}`);
      return 1;
    }
    const signalled = new Promise<'signal'>((resolve) => {
      if (io.signal.aborted) resolve('signal');
      else io.signal.addEventListener('abort', () => resolve('signal'), { once: true });
    });
    const outcome: GraphStatus | 'signal' = await Promise.race([running.done, signalled]);
    if (outcome === 'signal') {
      if ((await withTimeout(runtime.stopAll(), STOP_TIMEOUT_MS)) === 'timeout') {
        line(io.stderr, `graph ${document.id}: did not stop within ${STOP_TIMEOUT_MS / 1000} s`);
        return 1;
      }
      return 0;
    }
    if (outcome.state === 'error') {
      line(io.stderr, `graph ${document.id} stopped by an error${outcome.text ? `: ${outcome.text}` : ''}`);
      return 1;
    }
    return 0;
  } finally {
    subscription.unsubscribe();
  }
}
