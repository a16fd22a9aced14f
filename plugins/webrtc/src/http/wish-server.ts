// WHIP ingest and WHEP egress (draft-ietf-wish) on a router's own HTTP server.
//
//   POST   /whip                  application/sdp offer → 201, Location /whip/<stream id>, SDP answer
//   DELETE /whip/<stream id>      ends the publish session
//   POST   /whep/<id>             offer (recvonly) → 201, Location /whep/<id>/<session id>, answer; <id> is a publisher or a WHIP stream
//   DELETE /whep/<id>/<session>   ends the subscribe session
//   PATCH  …                      405: no trickle; answers carry every candidate
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SfuError, errorMessage } from '../sfu/errors.js';
import type { PublishTransport } from '../sfu/publish-transport.js';
import type { SfuRouter } from '../sfu/router.js';
import type { SubscribeTransport } from '../sfu/subscribe-transport.js';

export interface WishServerOptions {
  readonly host?: string;
  readonly port?: number;
  /** When set, POST and DELETE need `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** Offers bigger than this are refused (bytes). */
  readonly maxBody?: number;
  readonly onError?: (error: SfuError, request: string) => void;
}

export class WishServer {
  private readonly server: Server;
  private readonly publishSessions = new Map<string, PublishTransport>();
  private readonly subscribeSessions = new Map<string, SubscribeTransport>();
  private address: AddressInfo | undefined;

  constructor(
    private readonly router: SfuRouter,
    private readonly options: WishServerOptions = {},
  ) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => this.fail(res, req, error));
    });
  }

  async listen(): Promise<{ host: string; port: number; url: string }> {
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, host, () => resolve());
    });
    this.address = this.server.address() as AddressInfo;
    return { host, port: this.address.port, url: this.url };
  }

  get url(): string {
    const host = this.address?.address ?? this.options.host ?? '127.0.0.1';
    return `http://${host.includes(':') ? `[${host}]` : host}:${this.address?.port ?? 0}`;
  }

  get sessions(): { publish: number; subscribe: number } {
    return { publish: this.publishSessions.size, subscribe: this.subscribeSessions.size };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await Promise.all([...this.subscribeSessions.values()].map((t) => t.close()));
    await Promise.all([...this.publishSessions.values()].map((t) => t.close()));
    this.subscribeSessions.clear();
    this.publishSessions.clear();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    cors(res);
    const url = new URL(req.url ?? '/', 'http://x');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (req.method === 'OPTIONS') return void res.writeHead(204, { 'Accept-Post': 'application/sdp' }).end();
    if (parts[0] !== 'whip' && parts[0] !== 'whep') return void res.writeHead(404).end('not found');
    if (req.method === 'PATCH') return void res.writeHead(405, { Allow: 'POST, DELETE, OPTIONS' }).end('trickle ICE is not supported: answers carry every candidate');
    if (req.method === 'GET' && parts.length === 1 && parts[0] === 'whep') return json(res, this.router.publisherList.map((p) => ({ id: p.id, stream: p.streamId, kind: p.kind, codec: p.codec.mimeType })));
    this.authorize(req);
    if (req.method === 'POST' && parts[0] === 'whip' && parts.length === 1) return this.whip(req, res);
    if (req.method === 'POST' && parts[0] === 'whep' && parts.length === 2) return this.whep(req, res, parts[1] ?? '');
    if (req.method === 'DELETE' && parts.length === 2 && parts[0] === 'whip') return this.end(res, this.publishSessions, parts[1] ?? '');
    if (req.method === 'DELETE' && parts.length === 3 && parts[0] === 'whep') return this.end(res, this.subscribeSessions, parts[2] ?? '');
    res.writeHead(405, { Allow: 'POST, DELETE, OPTIONS' }).end(`${req.method ?? '?'} ${url.pathname} is not allowed`);
  }

  private async whip(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const offer = await sdpBody(req, this.options.maxBody);
    const transport = this.router.createPublishTransport();
    try {
      const { answer } = await transport.getAnswer(offer);
      this.publishSessions.set(transport.id, transport);
      transport.onClose(() => this.publishSessions.delete(transport.id));
      res.writeHead(201, { 'Content-Type': 'application/sdp', Location: `/whip/${encodeURIComponent(transport.id)}`, 'X-Rivulet-Publishers': transport.publisherList.map((p) => p.id).join(',') });
      res.end(answer);
    } catch (error) {
      await transport.close();
      throw error;
    }
  }

  private async whep(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const offer = await sdpBody(req, this.options.maxBody);
    if (this.router.resolve(id).length === 0) throw new SfuError('unknown-publisher', `no publisher or stream with id "${id}"`);
    const transport = this.router.createSubscribeTransport();
    try {
      const answer = await transport.answer(offer, id);
      this.subscribeSessions.set(transport.id, transport);
      transport.onClose(() => this.subscribeSessions.delete(transport.id));
      res.writeHead(201, { 'Content-Type': 'application/sdp', Location: `/whep/${encodeURIComponent(id)}/${encodeURIComponent(transport.id)}` });
      res.end(answer);
    } catch (error) {
      await transport.close();
      throw error;
    }
  }

  private async end(res: ServerResponse, sessions: Map<string, { close(): Promise<void> }>, id: string): Promise<void> {
    const session = sessions.get(id);
    if (!session) throw new SfuError('unknown-session', `no session "${id}"`);
    sessions.delete(id);
    await session.close();
    res.writeHead(200).end();
  }

  private authorize(req: IncomingMessage): void {
    const token = this.options.token;
    if (!token) return;
    const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    if (a.length !== b.length || !timingSafeEqual(a, b)) throw new SfuError('unauthorized', 'missing or wrong bearer token');
  }

  private fail(res: ServerResponse, req: IncomingMessage, error: unknown): void {
    const sfuError = error instanceof SfuError ? error : new SfuError('negotiation-failed', errorMessage(error));
    this.options.onError?.(sfuError, `${req.method ?? '?'} ${req.url ?? ''}`);
    if (res.headersSent) return void res.destroy();
    const headers: Record<string, string> = { 'Content-Type': 'text/plain' };
    if (sfuError.code === 'unauthorized') headers['WWW-Authenticate'] = 'Bearer';
    res.writeHead(sfuError.status, headers).end(`${sfuError.code}: ${sfuError.message}`);
  }
}

function cors(res: ServerResponse): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Allow-Methods', 'POST, DELETE, PATCH, OPTIONS, GET');
  res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, If-Match');
  res.setHeader('Access-Control-Expose-Headers', 'Location, X-Rivulet-Publishers');
}

function json(res: ServerResponse, value: unknown): void {
  res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(value));
}

async function sdpBody(req: IncomingMessage, maxBody = 64 * 1024): Promise<string> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim();
  if (type !== 'application/sdp') {
    req.resume();
    throw new SfuError('bad-sdp', `Content-Type must be application/sdp, got "${type ?? ''}"`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBody) throw new SfuError('bad-sdp', `SDP offer is larger than ${maxBody} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
