// Users-list relay (dan-l/p2p-video protocol) on socket.io: `usersList` broadcast on every connect and
// disconnect, `message` relayed to the client named by its `id`, errors back instead of crashes.
import type { Server as HttpServer } from 'node:http';
import { Server as IoServer, type Socket } from 'socket.io';
import { TypedEmitter } from '@rivulet/client';
import { closeHttpServer, createHttpServer, listen, SignallingServerError, type ListenOptions, type ServerAddress } from '../common/listen.js';
import { RateLimiter } from '../common/rate-limit.js';
import { relayParser } from './relay-parser.js';

export interface UsersListServerOptions {
  /** Largest accepted packet; bigger ones close that client (default 1 MiB). */
  readonly maxFrameBytes?: number;
  /** socket.io heartbeat interval (its default is 25 s). */
  readonly keepAliveMs?: number;
  readonly maxMessagesPerSecond?: number;
  /** Allowed browser origins for socket.io's CORS (default: any, as the original's clients are served elsewhere). */
  readonly corsOrigin?: string | readonly string[];
}

export interface UsersListServerEvents {
  connected: [id: string];
  disconnected: [id: string, reason: string];
  'client-error': [id: string, message: string];
}

/** What the offender receives on the `error` event. */
export interface UsersListError {
  readonly code: 'missing-id' | 'unknown-id' | 'not-an-object' | 'unknown-event';
  readonly message: string;
}

/** An engine.io message carrying a plain `message` event on the default namespace (no ack id, an object first). */
const MESSAGE_PACKET = '2["message",{';

/** engine.io's connection under a socket.io client (engine.io is socket.io's dependency, not ours). */
type EngineSocket = Socket['conn'];

/** The namespace socket that owns an engine.io connection's relay fast path, and its rate limit. */
interface Route {
  socket: Socket;
  limiter: RateLimiter;
}

const DEFAULTS = { maxFrameBytes: 1 << 20, keepAliveMs: 25_000, maxMessagesPerSecond: 500, corsOrigin: '*' as string | readonly string[] };

export class UsersListServer extends TypedEmitter<UsersListServerEvents> {
  private readonly options: Required<UsersListServerOptions>;
  /** Connection order, as the original's array. */
  private readonly clients: string[] = [];
  private http?: HttpServer;
  private io?: IoServer;
  private readonly routes = new WeakMap<EngineSocket, Route>();

  constructor(options: UsersListServerOptions = {}) {
    super();
    this.options = { ...DEFAULTS, ...options };
  }

  get users(): readonly string[] {
    return this.clients;
  }

  /** Open transport connections, including any that have not joined as users. */
  get connectionCount(): number {
    return this.io?.engine.clientsCount ?? 0;
  }

  async start(listenOptions: ListenOptions = {}): Promise<ServerAddress> {
    if (this.http) throw new SignallingServerError('already-started', 'users-list server: start() called twice');
    const http = (this.http = await createHttpServer(listenOptions.tls));
    const io = (this.io = new IoServer(http, {
      serveClient: false,
      maxHttpBufferSize: this.options.maxFrameBytes,
      pingInterval: this.options.keepAliveMs,
      pingTimeout: Math.min(20_000, this.options.keepAliveMs),
      perMessageDeflate: false,
      parser: relayParser,
      cors: { origin: this.options.corsOrigin as string | string[] },
    }));
    io.on('connection', (socket) => this.accept(socket));
    const address = await listen(http, listenOptions.host ?? '127.0.0.1', listenOptions.port ?? 0, Boolean(listenOptions.tls));
    // socket.io clients take http(s):// URLs.
    return { ...address, url: address.url.replace(/^ws/, 'http') };
  }

  async close(): Promise<void> {
    const { io, http } = this;
    this.io = undefined;
    this.http = undefined;
    if (io) {
      io.disconnectSockets(true);
      io.engine.close();
    }
    if (http) await closeHttpServer(http);
    this.clients.length = 0;
  }

  private accept(socket: Socket): void {
    const io = this.io as IoServer;
    const limiter = new RateLimiter(this.options.maxMessagesPerSecond);
    this.clients.push(socket.id);
    io.emit('usersList', this.clients);
    this.emit('connected', socket.id);

    this.relayFirst(socket, limiter);
    // One listener for every event the fast path leaves to socket.io, called as the packet is
    // decoded: cheaper per message than a middleware plus per-event listeners.
    socket.onAny((event: unknown, message: unknown) => {
      if (!socket.connected) return;
      if (!limiter.take()) return this.overRate(socket);
      if (event === 'message') this.relay(socket, message);
      else this.reject(socket, { code: 'unknown-event', message: `unknown event ${JSON.stringify(event)}` });
    });
    socket.on('disconnect', (reason) => {
      const index = this.clients.indexOf(socket.id);
      if (index >= 0) this.clients.splice(index, 1);
      this.io?.emit('usersList', this.clients);
      this.emit('disconnected', socket.id, reason);
    });
  }

  /**
   * The relay's fast path, in front of socket.io's own `data` listener on the engine.io connection: a
   * plain `message` whose target is connected is written to the target's connection as the very text
   * it arrived in (socket.io frames it `42["message",…]`, byte for byte what it would encode), skipping
   * socket.io's decode dispatch, its two deferred hops and its encoder. Anything else (other events,
   * acks, binary, bad JSON, no or unknown id) goes to socket.io unchanged and is answered as before.
   * engine.io's `write` works on every transport and batches while the transport is busy.
   */
  private relayFirst(socket: Socket, limiter: RateLimiter): void {
    const conn = socket.conn;
    const route = this.routes.get(conn);
    // A client that reconnects on the same connection takes over the hook already in place.
    if (route) {
      route.socket = socket;
      route.limiter = limiter;
      return;
    }
    const listeners = conn.listeners('data');
    // Not the one socket.io listener this was written against: leave every packet to socket.io.
    if (listeners.length !== 1) return;
    const ioOnData = listeners[0] as (data: unknown) => void;
    const sockets = (this.io as IoServer).sockets.sockets;
    const hooked: Route = { socket, limiter };
    this.routes.set(conn, hooked);
    conn.off('data', ioOnData);
    conn.on('data', (data: unknown) => {
      if (typeof data === 'string' && data.startsWith(MESSAGE_PACKET) && hooked.socket.connected) {
        const target = sockets.get(relayTargetId(data) ?? '');
        if (target) {
          if (hooked.limiter.take()) target.conn.write(data);
          else this.overRate(hooked.socket);
          return;
        }
      }
      ioOnData(data);
    });
  }

  private overRate(socket: Socket): void {
    this.emit('client-error', socket.id, 'rate limit exceeded');
    socket.disconnect(true);
  }

  private relay(socket: Socket, message: unknown): void {
    if (typeof message !== 'object' || message === null || Array.isArray(message) || Buffer.isBuffer(message)) {
      return this.reject(socket, { code: 'not-an-object', message: 'message must be an object with an id' });
    }
    const id = (message as Record<string, unknown>)['id'];
    if (typeof id !== 'string' || id === '') return this.reject(socket, { code: 'missing-id', message: 'Cannot send message to unknown id' });
    // Straight to the target socket: the same delivery as io.to(id) without the broadcast machinery.
    const target = this.io?.sockets.sockets.get(id);
    if (!target) return this.reject(socket, { code: 'unknown-id', message: `no client ${JSON.stringify(id)} is connected` });
    target.emit('message', message);
  }

  private reject(socket: Socket, error: UsersListError): void {
    this.emit('client-error', socket.id, error.message);
    socket.emit('error', error);
  }
}

/** The `id` of a `2["message",{…}]` packet with exactly that one argument, or undefined for anything else. */
function relayTargetId(packet: string): string | undefined {
  let data: unknown;
  try {
    data = JSON.parse(packet.slice(1));
  } catch {
    return undefined;
  }
  if (!Array.isArray(data) || data.length !== 2) return undefined;
  const id: unknown = (data[1] as Record<string, unknown>)['id'];
  return typeof id === 'string' && id !== '' ? id : undefined;
}
