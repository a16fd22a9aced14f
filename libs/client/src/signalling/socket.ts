// Opening a signalling socket and waiting for a protocol's first answer, on the browser's WebSocket or
// on any WebSocket class with the same surface (`ws` in Node) handed in as a factory.
import type { WebSocketLike } from '../websocket.js';

/** The WebSocket surface the signalling clients use: the control API's plus `send`. */
export interface SignallingSocket extends WebSocketLike {
  send(data: string): void;
}

/** Makes the socket for a URL; in Node 20, which has no global WebSocket: `(url) => new WebSocket(url)` with `ws`. */
export type WebSocketFactory = (url: string) => SignallingSocket;

export class SignallingClientError extends Error {
  override readonly name = 'SignallingClientError';
  constructor(
    readonly code: 'no-websocket' | 'connect-failed' | 'refused' | 'timeout' | 'closed' | 'protocol',
    message: string,
  ) {
    super(message);
  }
}

const OPEN = 1;

function defaultFactory(): WebSocketFactory {
  const native = (globalThis as { WebSocket?: new (url: string) => SignallingSocket }).WebSocket;
  if (!native) throw new SignallingClientError('no-websocket', 'no global WebSocket here: pass `factory` (in Node 20, one that makes a `ws` WebSocket)');
  return (url) => new native(url);
}

export interface OpenedSocket {
  readonly ws: SignallingSocket;
  /** Texts that arrived with the handshake, before anyone listened (servers that greet at once). */
  readonly early: string[];
}

/** Opens a socket; rejects on error, early close or after timeoutMs. */
export async function openSocket(url: string, factory?: WebSocketFactory, timeoutMs = 10_000): Promise<OpenedSocket> {
  const ws = (factory ?? defaultFactory())(url);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.close();
      reject(new SignallingClientError('timeout', `${url}: no connection within ${timeoutMs} ms`));
    }, timeoutMs);
    ws.onopen = () => {
      clearTimeout(timer);
      const early: string[] = [];
      ws.onmessage = (event) => {
        const text = textOf(event.data);
        if (text !== undefined) early.push(text);
      };
      resolve({ ws, early });
    };
    ws.onerror = (event) => {
      clearTimeout(timer);
      const message = (event as { message?: string }).message ?? 'connection failed';
      reject(new SignallingClientError(/\b400\b/.test(message) ? 'refused' : 'connect-failed', `${url}: ${message}`));
    };
  });
}

export function isOpen(ws: SignallingSocket): boolean {
  return ws.readyState === OPEN;
}

export function textOf(data: unknown): string | undefined {
  return typeof data === 'string' ? data : undefined;
}

export interface FirstMessage {
  readonly text: string;
  /** Texts that arrived after it, before the caller took over `onmessage`. */
  readonly backlog: string[];
}

/**
 * Hands an opened socket over to a client: the texts that came before it existed first (in order),
 * then every new text; a close becomes its `close` event.
 */
export function takeOverSocket(ws: SignallingSocket, backlog: readonly string[], onText: (text: string) => void, onClose: (event: { code: number; reason: string }) => void): void {
  ws.onmessage = (event) => {
    const text = textOf(event.data);
    if (text !== undefined) onText(text);
  };
  for (const text of backlog) onText(text);
  ws.onclose = (event) => onClose({ code: event.code, reason: event.reason });
}

/** Waits for the first incoming text matching `accept`; rejects on close, on `fail` match or after timeoutMs. */
export function firstMessage(opened: OpenedSocket, accept: (text: string) => boolean, fail: (text: string) => boolean, what: string, timeoutMs: number): Promise<FirstMessage> {
  const { ws } = opened;
  return new Promise((resolve, reject) => {
    const backlog: string[] = [];
    const done = (error?: SignallingClientError, text?: string) => {
      clearTimeout(timer);
      ws.onclose = null;
      if (error) {
        ws.onmessage = null;
        reject(error);
        return;
      }
      ws.onmessage = (event) => {
        const more = textOf(event.data);
        if (more !== undefined) backlog.push(more);
      };
      resolve({ text: text as string, backlog });
    };
    const timer = setTimeout(() => done(new SignallingClientError('timeout', `no ${what} within ${timeoutMs} ms`)), timeoutMs);
    let settled = false;
    const consider = (text: string) => {
      if (settled) return void backlog.push(text);
      if (accept(text)) {
        settled = true;
        done(undefined, text);
      } else if (fail(text)) {
        settled = true;
        done(new SignallingClientError('protocol', `waiting for ${what}: ${text}`));
      }
    };
    ws.onmessage = (event) => {
      const text = textOf(event.data);
      if (text !== undefined) consider(text);
    };
    for (const text of opened.early.splice(0)) consider(text);
    ws.onclose = (event) => done(new SignallingClientError('closed', `closed (${event.code} ${event.reason}) while waiting for ${what}`));
  });
}
