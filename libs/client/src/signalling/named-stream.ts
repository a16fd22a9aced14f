// Named-stream client (browser or Node): joins a path as publisher or subscriber and exchanges NOTIFY messages.
import { HoldingEmitter } from './emitter.js';
import { firstMessage, isOpen, openSocket, takeOverSocket, type WebSocketFactory, type SignallingSocket } from './socket.js';
import type { ClosedEvent } from './room.js';

export interface NamedStreamClientEvents {
  /** Subscriber side: the publisher is there (or arrived). */
  published: [id: string];
  unpublished: [id: string];
  /** Publisher side: a subscriber is there (or arrived). */
  subscribed: [id: string];
  unsubscribed: [id: string];
  notify: [from: string, data: unknown];
  /** `{"code":"failed",…}` answers from the server. */
  error: [reason: string];
  close: [event: ClosedEvent];
}

export interface NamedStreamConnectOptions {
  /** Server base URL, ws:// or wss:// (no path). */
  readonly url: string;
  /** Stream path such as `/live/cam1`; `/sha1/…` paths use the access scheme. */
  readonly path: string;
  readonly mode: 'publish' | 'subscribe';
  readonly factory?: WebSocketFactory;
  readonly timeoutMs?: number;
}

export class NamedStreamClient extends HoldingEmitter<NamedStreamClientEvents> {
  private constructor(
    private readonly ws: SignallingSocket,
    readonly id: string,
    readonly mode: 'publish' | 'subscribe',
    backlog: string[],
  ) {
    super();
    takeOverSocket(ws, backlog, (text) => this.onText(text), (event) => this.emit('close', event));
  }

  static async connect(options: NamedStreamConnectOptions): Promise<NamedStreamClient> {
    const path = options.path.startsWith('/') ? options.path : `/${options.path}`;
    const opened = await openSocket(`${options.url.replace(/\/$/, '')}${path}?mode=${options.mode}`, options.factory, options.timeoutMs);
    const { ws } = opened;
    const { text, backlog } = await firstMessage(opened, (t) => t.includes('"created"'), () => false, 'created event', options.timeoutMs ?? 10_000).catch((error: unknown) => {
      ws.close();
      throw error;
    });
    const id = String((JSON.parse(text) as { data: { id: string } }).data.id);
    return new NamedStreamClient(ws, id, options.mode, backlog);
  }

  /** Sends `{"method":"NOTIFY","to":…,"data":…}`. */
  notify(to: string, data: unknown): void {
    if (isOpen(this.ws)) this.ws.send(JSON.stringify({ method: 'NOTIFY', to, data }));
  }

  close(): void {
    this.ws.close(1000);
  }

  private onText(text: string): void {
    let msg: { method?: unknown; data?: { type?: unknown; id?: unknown }; from?: unknown; code?: unknown; reason?: unknown };
    try {
      msg = JSON.parse(text) as typeof msg;
    } catch {
      return;
    }
    if (msg.method === 'EVENT' && msg.data) {
      const { type, id } = msg.data;
      if ((type === 'published' || type === 'unpublished' || type === 'subscribed' || type === 'unsubscribed') && typeof id === 'string') this.emit(type, id);
    } else if (msg.method === 'NOTIFY' && typeof msg.from === 'string') {
      this.emit('notify', msg.from, msg.data);
    } else if (msg.code === 'failed') {
      this.emit('error', String(msg.reason));
    }
  }
}
