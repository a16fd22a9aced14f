// basics/file-in: emits a file's content (each line, the whole text, or the parsed JSON), then completes.
import { open, readFile } from 'node:fs/promises';
import { defineNode, port } from '@rivulet/core';
import { Observable } from 'rxjs';
import { z } from 'zod';
import { BasicsError } from './errors.js';

type Mode = 'lines' | 'text' | 'json';

function readFailed(path: string, error: unknown): BasicsError {
  const reason = error instanceof Error ? error.message : String(error);
  return new BasicsError('file-read-failed', `file-in: cannot read ${path}: ${reason}`, { path }, { cause: error });
}

/** The file's content as messages; reading starts on subscribe and stops on unsubscribe. */
export function readFileMessages(path: string, mode: Mode): Observable<unknown> {
  return new Observable<unknown>((subscriber) => {
    const abort = new AbortController();
    const read = async (): Promise<void> => {
      if (mode === 'lines') {
        const handle = await open(path, 'r');
        try {
          // Streams, so a large file is never held in memory at once.
          for await (const line of handle.readLines()) {
            if (subscriber.closed) break;
            subscriber.next(line);
          }
        } finally {
          await handle.close().catch(() => undefined);
        }
        return;
      }
      const text = await readFile(path, { encoding: 'utf8', signal: abort.signal });
      if (mode === 'text') {
        subscriber.next(text);
        return;
      }
      try {
        subscriber.next(JSON.parse(text));
      } catch (error) {
        throw new BasicsError('file-read-failed', `file-in: ${path} is not valid JSON: ${(error as Error).message}`, { path });
      }
    };
    read().then(
      () => subscriber.complete(),
      (error: unknown) => {
        if (!abort.signal.aborted) subscriber.error(error instanceof BasicsError ? error : readFailed(path, error));
      },
    );
    return () => abort.abort();
  });
}

export const fileInNode = defineNode({
  type: 'basics/file-in',
  title: 'File in',
  category: 'input',
  description: 'Emits a file once, then completes: lines (one message per line), text (one string) or json (the parsed value).',
  params: z
    .object({
      path: z.string().min(1).describe('File to read (relative to the working directory)'),
      mode: z.enum(['lines', 'text', 'json']).default('lines'),
    })
    .strict(),
  outputs: { out: port<unknown>('json') },
  create(ctx) {
    return { outputs: { out: readFileMessages(ctx.params.path, ctx.params.mode) } };
  },
});
