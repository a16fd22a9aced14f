// `rivulet serve [dir]`: the control API (and the editor) over graphs stored as files in `dir`.
import { resolve } from 'node:path';
import { Runtime } from '@rivulet/core';
import { loadRunnerCatalogue } from '../catalogue.js';
import { installDemo, DEMO_GRAPH_ID } from '../demo/demo.js';
import { editorDistDir } from '../package-info.js';
import { buildServer } from '../server/app.js';
import { isLoopback, randomToken } from '../server/auth.js';
import { GraphStore } from '../server/store.js';
import { line, type CliIo } from '../io.js';

export interface ServeOptions {
  readonly port?: string;
  readonly host?: string;
  readonly token?: string;
  readonly demo?: boolean;
  readonly plugins?: string;
  /** Called once listening, with the URL printed (tests use it to find port 0's real port). */
  readonly onListening?: (url: string, token: string) => void;
}

const STOP_TIMEOUT_MS = 15_000;

function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

export async function serveCommand(dirArg: string | undefined, options: ServeOptions, io: CliIo): Promise<number> {
  const host = options.host ?? '127.0.0.1';
  const port = Number(options.port ?? '7400');
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    line(io.stderr, `invalid --port ${JSON.stringify(options.port)}: expected 0–65535`);
    return 2;
  }
  const explicitToken = options.token ?? (io.env['RIVULET_TOKEN'] || undefined);
  if (!isLoopback(host) && explicitToken === undefined) {
    line(io.stderr, `refusing to serve on ${host} without an explicit token: anyone who can reach it could run graphs. Pass --token <t> or set RIVULET_TOKEN, or bind 127.0.0.1.`);
    return 2;
  }
  const token = explicitToken ?? randomToken();

  const store = new GraphStore(resolve(io.cwd, dirArg ?? 'graphs'));
  await store.init();
  const catalogue = await loadRunnerCatalogue(io, options.plugins);
  const runtime = new Runtime({ catalogue });
  const app = await buildServer({ store, runtime, catalogue, token, editorDir: editorDistDir });

  try {
    await app.listen({ port, host });
  } catch (error) {
    line(io.stderr, `cannot listen on ${host}:${port}: ${(error as Error).message}`);
    return 1;
  }
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address !== null ? address.port : port;
  const url = `http://${urlHost(host)}:${actualPort}/?token=${token}`;
  line(io.stdout, `Rivulet serving ${url}`);
  line(io.stdout, `graphs in ${store.dir}`);

  if (options.demo) {
    try {
      await installDemo(store);
      await runtime.start(await store.read(DEMO_GRAPH_ID));
      line(io.stdout, `demo graph "${DEMO_GRAPH_ID}" running`);
    } catch (error) {
      line(io.stderr, `demo graph "${DEMO_GRAPH_ID}" did not start: ${(error as Error).message}`);
    }
  }
  options.onListening?.(url, token);

  await new Promise<void>((done) => {
    if (io.signal.aborted) done();
    else io.signal.addEventListener('abort', () => done(), { once: true });
  });
  line(io.stdout, 'stopping…');
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stopped = await Promise.race([
    runtime.stopAll().then(() => true),
    new Promise<boolean>((done) => {
      timer = setTimeout(() => done(false), STOP_TIMEOUT_MS);
    }),
  ]).finally(() => clearTimeout(timer));
  if (!stopped) line(io.stderr, `some graphs did not stop within ${STOP_TIMEOUT_MS / 1000} s`);
  await app.close();
  return 0;
}
