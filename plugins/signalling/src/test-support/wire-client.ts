// Raw WebSocket client for conformance tests: queues every frame and waits with a deadline.
import { WebSocket, type ClientOptions } from 'ws';

export interface Frame {
  readonly text: string;
  readonly binary: boolean;
}

export interface CloseInfo {
  readonly code: number;
  readonly reason: string;
}

export class WireClient {
  readonly frames: Frame[] = [];
  private waiters: (() => void)[] = [];
  closed?: CloseInfo;
  private readonly closedPromise: Promise<CloseInfo>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, binary) => {
      this.frames.push({ text: Buffer.isBuffer(data) ? data.toString() : Buffer.from(data as ArrayBuffer).toString(), binary });
      this.wake();
    });
    ws.on('error', () => undefined);
    this.closedPromise = new Promise((resolve) =>
      ws.on('close', (code, reason) => {
        this.closed = { code, reason: reason.toString() };
        this.wake();
        resolve(this.closed);
      }),
    );
  }

  static connect(url: string, options: ClientOptions = {}, timeoutMs = 5_000): Promise<WireClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { ...options, handshakeTimeout: timeoutMs });
      const client = new WireClient(ws);
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => {
        const status = `${res.statusCode} ${res.statusMessage}`;
        res.resume();
        ws.terminate();
        reject(new Error(`handshake refused: ${status}`));
      });
      ws.once('error', reject);
    });
  }

  send(data: string | Buffer, binary = typeof data !== 'string'): void {
    this.ws.send(data, { binary });
  }

  /** Resolves with the next unread frame, or rejects after timeoutMs. */
  async next(timeoutMs = 2_000): Promise<string> {
    const frame = await this.nextFrame(timeoutMs);
    return frame.text;
  }

  async nextFrame(timeoutMs = 2_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    while (this.frames.length === 0) {
      if (this.closed) throw new Error(`connection closed (${this.closed.code} ${this.closed.reason}) while waiting for a frame`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no frame within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.frames.shift() as Frame;
  }

  /** Asserts nothing arrives for `ms` (returns the unexpected frame, if any). */
  async nothingWithin(ms = 150): Promise<string | undefined> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return this.frames[0]?.text;
  }

  waitClosed(timeoutMs = 2_000): Promise<CloseInfo> {
    return Promise.race([
      this.closedPromise,
      new Promise<CloseInfo>((_resolve, reject) => setTimeout(() => reject(new Error(`not closed within ${timeoutMs} ms`)), timeoutMs).unref()),
    ]);
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

/** Sends raw bytes as a text frame (bypasses the client's UTF-8 handling) to provoke 1007. */
export function sendRawTextFrame(ws: WebSocket, payload: Buffer): void {
  const socket = (ws as unknown as { _socket: import('node:net').Socket })._socket;
  const mask = Buffer.from([1, 2, 3, 4]);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ (mask[i % 4] as number)));
  if (payload.length >= 126) throw new Error('raw frames in tests are kept under 126 bytes');
  socket.write(Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, masked]));
}
