// Clients for the room/session protocol; they run on the browser's WebSocket, or in Node on a factory that makes `ws` sockets.
import { HoldingEmitter } from './emitter.js';
import { firstMessage, isOpen, openSocket, takeOverSocket, type WebSocketFactory, type SignallingSocket } from './socket.js';

export interface RoomProtocolConnectOptions {
  /** ws:// or wss:// URL of the server. */
  readonly url: string;
  /** This peer's id: no whitespace, unique on the server. */
  readonly uid: string;
  readonly factory?: WebSocketFactory;
  readonly timeoutMs?: number;
}

export interface ClosedEvent {
  readonly code: number;
  readonly reason: string;
}

async function register(options: RoomProtocolConnectOptions): Promise<{ ws: SignallingSocket; backlog: string[] }> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const opened = await openSocket(options.url, options.factory, timeoutMs);
  const { ws } = opened;
  const hello = firstMessage(opened, (t) => t === 'HELLO', (t) => t.startsWith('ERROR'), 'HELLO', timeoutMs);
  ws.send(`HELLO ${options.uid}`);
  try {
    return { ws, backlog: (await hello).backlog };
  } catch (error) {
    ws.close();
    throw error;
  }
}

export interface RoomClientEvents {
  'peer-joined': [uid: string];
  'peer-left': [uid: string];
  message: [from: string, text: string];
  error: [text: string];
  close: [event: ClosedEvent];
}

/** A member of a multi-party room: HELLO, ROOM, then ROOM_PEER_MSG to and from the others. */
export class RoomClient extends HoldingEmitter<RoomClientEvents> {
  readonly peers = new Set<string>();
  private pendingLists: ((peers: string[]) => void)[] = [];

  private constructor(
    private readonly ws: SignallingSocket,
    readonly uid: string,
    readonly room: string,
    initial: string[],
    backlog: string[],
  ) {
    super();
    for (const peer of initial) this.peers.add(peer);
    takeOverSocket(ws, backlog, (text) => this.onText(text), (event) => this.emit('close', event));
  }

  static async connect(options: RoomProtocolConnectOptions & { readonly room: string }): Promise<RoomClient> {
    const { ws, backlog: early } = await register(options);
    const ok = firstMessage({ ws, early }, (t) => t.startsWith('ROOM_OK'), (t) => t.startsWith('ERROR'), 'ROOM_OK', options.timeoutMs ?? 10_000);
    ws.send(`ROOM ${options.room}`);
    const { text, backlog } = await ok.catch((error: unknown) => {
      ws.close();
      throw error;
    });
    return new RoomClient(ws, options.uid, options.room, text.slice('ROOM_OK'.length).split(' ').filter(Boolean), backlog);
  }

  /** Sends `ROOM_PEER_MSG <to> <text>`. */
  send(to: string, text: string): void {
    if (isOpen(this.ws)) this.ws.send(`ROOM_PEER_MSG ${to} ${text}`);
  }

  /** Asks the server for the other members. */
  listPeers(timeoutMs = 5_000): Promise<string[]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ROOM_PEER_LIST within ${timeoutMs} ms`)), timeoutMs);
      this.pendingLists.push((peers) => {
        clearTimeout(timer);
        resolve(peers);
      });
      this.ws.send('ROOM_PEER_LIST');
    });
  }

  close(): void {
    this.ws.close(1000);
  }

  private onText(text: string): void {
    const space = text.indexOf(' ');
    const command = space < 0 ? text : text.slice(0, space);
    const rest = space < 0 ? '' : text.slice(space + 1);
    if (command === 'ROOM_PEER_MSG') {
      const split = rest.indexOf(' ');
      if (split > 0) this.emit('message', rest.slice(0, split), rest.slice(split + 1));
    } else if (command === 'ROOM_PEER_JOINED') {
      this.peers.add(rest);
      this.emit('peer-joined', rest);
    } else if (command === 'ROOM_PEER_LEFT') {
      this.peers.delete(rest);
      this.emit('peer-left', rest);
    } else if (command === 'ROOM_PEER_LIST') {
      this.pendingLists.shift()?.(rest.split(' ').filter(Boolean));
    } else if (command === 'ERROR') {
      this.emit('error', text);
    }
  }
}

export interface SessionClientEvents {
  message: [text: string];
  error: [text: string];
  close: [event: ClosedEvent];
}

/**
 * A 1-1 session: HELLO, then either SESSION <peer> (caller) or wait to be called (callee).
 * Every message after that goes verbatim to the other side; a close ends the call.
 */
export class SessionClient extends HoldingEmitter<SessionClientEvents> {
  private constructor(
    private readonly ws: SignallingSocket,
    readonly uid: string,
    readonly peer: string | undefined,
    backlog: string[],
  ) {
    super();
    takeOverSocket(ws, backlog, (text) => this.onText(text), (event) => this.emit('close', event));
  }

  /** With `peer` this side calls; without it waits to be called. */
  static async connect(options: RoomProtocolConnectOptions & { readonly peer?: string }): Promise<SessionClient> {
    const registered = await register(options);
    const { ws } = registered;
    let { backlog } = registered;
    if (options.peer !== undefined) {
      const ok = firstMessage({ ws, early: backlog }, (t) => t === 'SESSION_OK', (t) => t.startsWith('ERROR'), 'SESSION_OK', options.timeoutMs ?? 10_000);
      ws.send(`SESSION ${options.peer}`);
      backlog = (
        await ok.catch((error: unknown) => {
          ws.close();
          throw error;
        })
      ).backlog;
    }
    return new SessionClient(ws, options.uid, options.peer, backlog);
  }

  private onText(text: string): void {
    if (text.startsWith('ERROR')) this.emit('error', text);
    else this.emit('message', text);
  }

  send(text: string): void {
    if (isOpen(this.ws)) this.ws.send(text);
  }

  close(): void {
    this.ws.close(1000);
  }
}
