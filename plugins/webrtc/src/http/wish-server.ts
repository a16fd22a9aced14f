// WHIP ingest and WHEP egress (draft-ietf-wish) on a router's own HTTP server.
//
//   POST   /whip                  application/sdp offer → 201, Location /whip/<stream id>, SDP answer
//   DELETE /whip/<stream id>      ends the publish session
//   POST   /whep/<id>             offer (recvonly) → 201, Location /whep/<id>/<session id>, answer; <id> is a publisher or a WHIP stream
//   DELETE /whep/<id>/<session>   ends the subscribe session
//   PATCH  <session URL>          trickle ICE (RFC 9725 §4.3): application/trickle-ice-sdpfrag → 204; an ICE restart → 422
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SfuError, errorMessage } from '../sfu/errors.js';
import type { PublishTransport } from '../sfu/publish-transport.js';
import type { SfuRouter } from '../sfu/router.js';
import type { SubscribeTransport } from '../sfu/subscribe-transport.js';
import type { IceOptions } from '../ice.js';
import { SDPFRAG_TYPE, iceCredentials, iceServerLinks, parseSdpFragment } from './sdpfrag.js';

export interface WishServerOptions {
  readonly host?: string;
  readonly port?: number;
  /** When set, POST and DELETE need `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** Offers bigger than this are refused (bytes). */
  readonly maxBody?: number;
  /** Announced to clients as `Link: <url>; rel="ice-server"` headers on each new session; none by default. */
  readonly iceServers?: IceOptions['iceServers'];
  /** Accept trickled candidates by PATCH (default true); false answers PATCH with 405 as servers without trickle do. */
  readonly trickle?: boolean;
  readonly onError?: (error: SfuError | WishHttpError, request: string) => void;
}

/** A refusal the SFU layer has no code for (HTTP-only conditions of WHIP/WHEP): a stable code, a message and the status. */
export class WishHttpError extends Error {
  override readonly name = 'WishHttpError';
  constructor(
    readonly status: number,
    readonly code: 'unsupported-media-type' | 'bad-sdpfrag' | 'ice-restart-unsupported' | 'precondition-failed',
    message: string,
  ) {
    super(message);
  }
}

interface Session<T> {
  readonly transport: T;
  /** The client's ICE username fragment: a PATCH carrying another one asks for an ICE restart. */
  readonly remoteUfrag: string | undefined;
  /** Names the ICE session (RFC 9725 §4.3.1): If-Match with another value is refused. */
  readonly etag: string;
}

export class WishServer {
  private readonly server: Server;
  private readonly publishSessions = new Map<string, Session<PublishTransport>>();
  private readonly subscribeSessions = new Map<string, Session<SubscribeTransport>>();
  private address: AddressInfo | undefined;
  private trickled = 0;

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

  /** Remote candidates received by PATCH and handed to their sessions so far. */
  get trickledCandidates(): number {
    return this.trickled;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await Promise.all([...this.subscribeSessions.values()].map((s) => s.transport.close()));
    await Promise.all([...this.publishSessions.values()].map((s) => s.transport.close()));
    this.subscribeSessions.clear();
    this.publishSessions.clear();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    cors(res);
    const url = new URL(req.url ?? '/', 'http://x');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (req.method === 'OPTIONS') return void res.writeHead(204, { 'Accept-Post': 'application/sdp' }).end();
    if (parts[0] !== 'whip' && parts[0] !== 'whep') return void res.writeHead(404).end('not found');
    if (req.method === 'PATCH' && this.options.trickle === false) return void res.writeHead(405, { Allow: 'POST, DELETE, OPTIONS' }).end('trickle ICE is not supported: answers carry every candidate');
    if (req.method === 'GET' && parts.length === 1 && parts[0] === 'whep') return json(res, this.router.publisherList.map((p) => ({ id: p.id, stream: p.streamId, kind: p.kind, codec: p.codec.mimeType })));
    this.authorize(req);
    if (req.method === 'POST' && parts[0] === 'whip' && parts.length === 1) return this.whip(req, res);
    if (req.method === 'POST' && parts[0] === 'whep' && parts.length === 2) return this.whep(req, res, parts[1] ?? '');
    if (req.method === 'DELETE' && parts.length === 2 && parts[0] === 'whip') return this.end(res, this.publishSessions, parts[1] ?? '');
    if (req.method === 'DELETE' && parts.length === 3 && parts[0] === 'whep') return this.end(res, this.subscribeSessions, parts[2] ?? '');
    if (req.method === 'PATCH' && parts.length === 2 && parts[0] === 'whip') return this.patch(req, res, this.publishSessions.get(parts[1] ?? ''), parts[1] ?? '');
    if (req.method === 'PATCH' && parts.length === 3 && parts[0] === 'whep') return this.patch(req, res, this.subscribeSessions.get(parts[2] ?? ''), parts[2] ?? '');
    res.writeHead(405, { Allow: 'POST, DELETE, PATCH, OPTIONS' }).end(`${req.method ?? '?'} ${url.pathname} is not allowed`);
  }

  private async whip(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const offer = await sdpBody(req, this.options.maxBody);
    const transport = this.router.createPublishTransport();
    try {
      const { answer } = await transport.getAnswer(offer);
      const session = this.session(transport, offer);
      this.publishSessions.set(transport.id, session);
      transport.onClose(() => this.publishSessions.delete(transport.id));
      res.writeHead(201, { ...this.sessionHeaders(session), Location: `/whip/${encodeURIComponent(transport.id)}`, 'X-Rivulet-Publishers': transport.publisherList.map((p) => p.id).join(',') });
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
      const session = this.session(transport, offer);
      this.subscribeSessions.set(transport.id, session);
      transport.onClose(() => this.subscribeSessions.delete(transport.id));
      res.writeHead(201, { ...this.sessionHeaders(session), Location: `/whep/${encodeURIComponent(id)}/${encodeURIComponent(transport.id)}` });
      res.end(answer);
    } catch (error) {
      await transport.close();
      throw error;
    }
  }

  private async end(res: ServerResponse, sessions: Map<string, Session<{ close(): Promise<void> }>>, id: string): Promise<void> {
    const session = sessions.get(id);
    if (!session) throw new SfuError('unknown-session', `no session "${id}"`);
    sessions.delete(id);
    await session.transport.close();
    res.writeHead(200).end();
  }

  private session<T>(transport: T, offer: string): Session<T> {
    return { transport, remoteUfrag: iceCredentials(offer).ufrag, etag: `"${randomUUID()}"` };
  }

  private sessionHeaders(session: Session<unknown>): Record<string, string | string[]> {
    const headers: Record<string, string | string[]> = { 'Content-Type': 'application/sdp', ETag: session.etag };
    if (this.options.trickle !== false) headers['Accept-Patch'] = SDPFRAG_TYPE;
    const links = iceServerLinks(this.options.iceServers ?? []);
    if (links.length > 0) headers['Link'] = links;
    return headers;
  }

  /** Trickle ICE: the fragment's candidates go to the session's peer (204). New credentials would be an ICE restart, which werift cannot do here (422). */
  private async patch(req: IncomingMessage, res: ServerResponse, session: Session<PublishTransport | SubscribeTransport> | undefined, id: string): Promise<void> {
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
    if (type !== SDPFRAG_TYPE) {
      req.resume();
      throw new WishHttpError(415, 'unsupported-media-type', `PATCH needs Content-Type ${SDPFRAG_TYPE}, got "${type}"`);
    }
    const text = await readBody(req, this.options.maxBody, 'SDP fragment');
    if (!session) throw new SfuError('unknown-session', `no session "${id}"`);
    const ifMatch = req.headers['if-match'];
    const fragment = parseSdpFragment(text);
    if ('problem' in fragment) throw new WishHttpError(400, 'bad-sdpfrag', `session ${id}: ${fragment.problem}`);
    if ((fragment.ufrag !== undefined && fragment.ufrag !== session.remoteUfrag) || ifMatch === '*') {
      throw new WishHttpError(422, 'ice-restart-unsupported', `session ${id}: ICE restarts are not supported; start a new session (DELETE, then POST)`);
    }
    if (ifMatch !== undefined && ifMatch !== session.etag) throw new WishHttpError(412, 'precondition-failed', `session ${id}: If-Match ${ifMatch} does not name this ICE session (${session.etag})`);
    for (const candidate of fragment.candidates) await session.transport.addIceCandidate(candidate);
    this.trickled += fragment.candidates.length;
    res.writeHead(204, { ETag: session.etag }).end();
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
    const sfuError = error instanceof SfuError || error instanceof WishHttpError ? error : new SfuError('negotiation-failed', errorMessage(error));
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
  res.setHeader('Access-Control-Expose-Headers', 'Location, X-Rivulet-Publishers, ETag, Link, Accept-Patch');
}

function json(res: ServerResponse, value: unknown): void {
  res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(value));
}

async function sdpBody(req: IncomingMessage, maxBody?: number): Promise<string> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim();
  if (type !== 'application/sdp') {
    req.resume();
    throw new SfuError('bad-sdp', `Content-Type must be application/sdp, got "${type ?? ''}"`);
  }
  return readBody(req, maxBody, 'SDP offer');
}

async function readBody(req: IncomingMessage, maxBody = 64 * 1024, what: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBody) throw new SfuError('bad-sdp', `${what} is larger than ${maxBody} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
