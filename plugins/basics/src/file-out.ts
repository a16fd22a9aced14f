// basics/file-out: appends one JSON line per message, or keeps a file holding the latest message (temp file + rename).
import { randomBytes } from 'node:crypto';
import { open, rename, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import { defineNode, port } from '@rivulet/core';
import { z } from 'zod';
import { BasicsError } from './errors.js';

interface Writer {
  push(message: unknown): void;
  /** Writes what is pending and releases the file. */
  close(): Promise<void>;
}

function writeFailed(path: string, error: unknown): BasicsError {
  const reason = error instanceof Error ? error.message : String(error);
  return new BasicsError('file-write-failed', `file-out: cannot write ${path}: ${reason}`, { path }, { cause: error });
}

/** Appends lines, batching whatever arrived while the previous write was in flight into one write. */
class LineAppender implements Writer {
  private pending: string[] = [];
  private handle: Promise<FileHandle> | undefined;
  private draining: Promise<void> | undefined;
  private failed = false;

  constructor(
    private readonly path: string,
    private readonly fail: (error: unknown) => void,
  ) {}

  push(message: unknown): void {
    if (this.failed) return;
    try {
      this.pending.push(`${JSON.stringify(message) ?? 'null'}\n`);
    } catch (error) {
      this.stop(new BasicsError('file-write-failed', `file-out: cannot write ${this.path}: message is not serialisable as JSON (${(error as Error).message})`, { path: this.path }));
      return;
    }
    this.draining ??= this.drain();
  }

  private async drain(): Promise<void> {
    try {
      this.handle ??= open(this.path, 'a');
      const handle = await this.handle;
      while (this.pending.length > 0 && !this.failed) {
        const chunk = this.pending.join('');
        this.pending = [];
        await handle.write(chunk);
      }
    } catch (error) {
      this.stop(writeFailed(this.path, error));
    } finally {
      this.draining = undefined;
    }
  }

  private stop(error: unknown): void {
    this.failed = true;
    this.pending = [];
    this.fail(error);
  }

  async close(): Promise<void> {
    while (this.draining) await this.draining;
    const handle = this.handle;
    this.handle = undefined;
    if (handle) await (await handle.catch(() => undefined))?.close();
  }
}

function fileContent(message: unknown): string | Uint8Array {
  if (typeof message === 'string' || message instanceof Uint8Array) return message;
  return `${JSON.stringify(message) ?? 'null'}\n`;
}

/** Replaces the file with the latest message; messages arriving during a write collapse into the newest. */
class AtomicOverwriter implements Writer {
  private latest: { message: unknown } | undefined;
  private writing: Promise<void> | undefined;
  private failed = false;

  constructor(
    private readonly path: string,
    private readonly fail: (error: unknown) => void,
  ) {}

  push(message: unknown): void {
    if (this.failed) return;
    this.latest = { message };
    this.writing ??= this.drain();
  }

  private async drain(): Promise<void> {
    try {
      while (this.latest && !this.failed) {
        const { message } = this.latest;
        this.latest = undefined;
        // Same directory as the target, so rename() is atomic: a reader sees the old file or the new one, never half.
        const temp = `${this.path}.${randomBytes(6).toString('hex')}.tmp`;
        try {
          await writeFile(temp, fileContent(message));
          await rename(temp, this.path);
        } catch (error) {
          await unlink(temp).catch(() => undefined);
          throw error;
        }
      }
    } catch (error) {
      this.failed = true;
      this.fail(error instanceof BasicsError ? error : writeFailed(this.path, error));
    } finally {
      this.writing = undefined;
    }
  }

  async close(): Promise<void> {
    while (this.writing) await this.writing;
  }
}

export const fileOutNode = defineNode({
  type: 'basics/file-out',
  title: 'File out',
  category: 'output',
  description: "lines: appends one JSON line per message. overwrite: the file always holds the latest message (strings and Buffers raw, anything else as JSON), replaced atomically.",
  params: z
    .object({
      path: z.string().min(1).describe('File to write (relative to the working directory)'),
      mode: z.enum(['lines', 'overwrite']).default('lines'),
    })
    .strict(),
  inputs: { in: port<unknown>('any') },
  create(ctx) {
    const { path, mode } = ctx.params;
    const fail = (error: unknown) => ctx.fail(error);
    const writer: Writer = mode === 'lines' ? new LineAppender(path, fail) : new AtomicOverwriter(path, fail);
    const subscription = ctx.inputs.in.subscribe({ next: (message) => writer.push(message), error: fail });
    return {
      dispose: async () => {
        subscription.unsubscribe();
        await writer.close();
      },
    };
  },
});
