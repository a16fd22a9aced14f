// Users-list client speaking socket.io v4 (engine.io 4, WebSocket transport, text packets) by itself,
// so it runs in browsers and Node without socket.io-client.
import { HoldingEmitter } from './emitter.js';
import { isOpen, openSocket, SignallingClientError, textOf, type WebSocketFactory, type SignallingSocket } from './socket.js';
import type { ClosedEvent } from './room.js';

export interface UsersListClientEvents {
  usersList: [ids: string[]];
  message: [message: Record<string, unknown>];
  error: [error: { code: string; message: string }];
  close: [event: ClosedEvent];
}

export interface UsersListConnectOptions {
  /** Server URL, http(s):// or ws(s)://. */
  readonly url: string;
  readonly factory?: WebSocketFactory;
  readonly timeoutMs?: number;
}

export class UsersListClient extends HoldingEmitter<UsersListClientEvents> {
  users: string[] = [];

  private constructor(
    private readonly ws: SignallingSocket,
    /** Our socket.io id: what other clients put in `id` to reach us. */
    readonly id: string,
    backlog: string[],
  ) {
    super();
    ws.onmessage = (event) => {
      const text = textOf(event.data);
      if (text !== undefined) this.onPacket(text);
    };
    ws.onclose = (event) => this.emit('close', { code: event.code, reason: event.reason });
    for (const text of backlog) this.onPacket(text);
  }

  static async connect(options: UsersListConnectOptions): Promise<UsersListClient> {
    const timeoutMs = options.timeoutMs ?? 10_000;
    const base = options.url.replace(/^http/, 'ws').replace(/\/$/, '');
    const { ws, early } = await openSocket(`${base}/socket.io/?EIO=4&transport=websocket`, options.factory, timeoutMs);
    return new Promise((resolve, reject) => {
      const backlog: string[] = [];
      let id: string | undefined;
      const fail = (error: SignallingClientError) => {
        clearTimeout(timer);
        ws.onmessage = null;
        ws.close();
        reject(error);
      };
      const timer = setTimeout(() => fail(new SignallingClientError('timeout', `${base}: no socket.io handshake within ${timeoutMs} ms`)), timeoutMs);
      ws.onclose = (event) => fail(new SignallingClientError('closed', `${base}: closed (${event.code}) during the socket.io handshake`));
      const consider = (text: string) => {
        if (id !== undefined) return void backlog.push(text);
        if (text.startsWith('0{')) ws.send('40');
        else if (text.startsWith('40')) {
          id = (JSON.parse(text.slice(2)) as { sid: string }).sid;
          clearTimeout(timer);
          ws.onclose = null;
          // Packets in the same chunk as the connect reply are replayed by the constructor.
          queueMicrotask(() => resolve(new UsersListClient(ws, id as string, backlog)));
        } else if (text.startsWith('44')) fail(new SignallingClientError('refused', `${base}: ${text.slice(2)}`));
      };
      ws.onmessage = (event) => {
        const text = textOf(event.data);
        if (text !== undefined) consider(text);
      };
      for (const text of early.splice(0)) consider(text);
    });
  }

  /** Emits `message`; the server delivers it to the client whose id is `message.id`. */
  send(message: Record<string, unknown> & { id: string }): void {
    if (isOpen(this.ws)) this.ws.send(`42${JSON.stringify(['message', message])}`);
  }

  close(): void {
    this.ws.close(1000);
  }

  private onPacket(text: string): void {
    if (text === '2') {
      // engine.io heartbeat: answer the server's ping.
      if (isOpen(this.ws)) this.ws.send('3');
      return;
    }
    if (!text.startsWith('42')) return;
    let packet: unknown;
    try {
      packet = JSON.parse(text.slice(2));
    } catch {
      return;
    }
    if (!Array.isArray(packet)) return;
    const [event, value] = packet as [unknown, unknown];
    if (event === 'usersList' && Array.isArray(value)) {
      this.users = value.filter((v): v is string => typeof v === 'string');
      this.emit('usersList', this.users);
    } else if (event === 'message' && typeof value === 'object' && value !== null) this.emit('message', value as Record<string, unknown>);
    else if (event === 'error' && typeof value === 'object' && value !== null) this.emit('error', value as { code: string; message: string });
  }
}
