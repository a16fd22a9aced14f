// Serves @rivulet/client's browser WebRTC sources to test pages, transpiled on request (no bundler needed).
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, normalize } from 'node:path';
import { createRequire } from 'node:module';
import ts from 'typescript';

const require = createRequire(import.meta.url);
const clientRoot = join(dirname(require.resolve('@rivulet/client/package.json')), 'src', 'webrtc');

export async function serveClientModules(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/') return void res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>client</title><body></body>');
    const file = normalize(join(clientRoot, path.replace(/^\/webrtc\//, '').replace(/\.js$/, '.ts')));
    if (!file.startsWith(clientRoot)) return void res.writeHead(404).end();
    try {
      const source = readFileSync(file, 'utf8');
      const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true } }).outputText;
      res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(js);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
