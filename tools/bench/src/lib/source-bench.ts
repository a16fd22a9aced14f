// Loads a bench that lives beside the package it measures (`<package>/bench/*.ts`), straight from
// TypeScript through Vite's module loader, with workspace packages resolved to their sources.
import { fileURLToPath } from 'node:url';
import { defaultServerConditions } from 'vite';
import type { Bench, BenchReport } from './report.js';

const workspaceRoot = fileURLToPath(new URL('../../../../', import.meta.url));

interface SourceBenchModule {
  run(options: { log: (line: string) => void }): Promise<{ results: Record<string, unknown>; ratios: Record<string, number> }>;
}

function isSourceBenchModule(value: Record<string, unknown>): value is Record<string, unknown> & SourceBenchModule {
  return typeof value['run'] === 'function';
}

/** A Bench that runs `export async function run({ log })` of a TypeScript file (path from the workspace root). */
export function sourceBench(name: string, file: string): Bench {
  return async (log): Promise<BenchReport> => {
    const { createServer } = await import('vite');
    const server = await createServer({
      root: workspaceRoot,
      configFile: false,
      logLevel: 'error',
      appType: 'custom',
      server: { middlewareMode: true, hmr: false, ws: false },
      ssr: { resolve: { conditions: ['@rivulet/source', ...defaultServerConditions] } },
    });
    try {
      const loaded = await server.ssrLoadModule(`/${file}`);
      if (!isSourceBenchModule(loaded)) throw new Error(`${file} has no run() export`);
      const { results, ratios } = await loaded.run({ log });
      return { bench: name, results, ratios };
    } finally {
      await server.close();
    }
  };
}
