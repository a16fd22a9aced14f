// RivuletClient: typed methods for every route of the runner's control API (browser and Node).
import type { Observable } from 'rxjs';
import type { GraphStatus, RuntimeEvent } from '@rivulet/core';
import type {
  ApiErrorBody,
  CatalogueResponse,
  DeleteGraphResponse,
  ExplainResponse,
  GraphDocumentBody,
  GraphListResponse,
  GraphSummary,
  SaveGraphResponse,
  StatusListResponse,
  ValidateResponse,
} from './api-types.js';
import { RivuletApiError } from './errors.js';
import { eventStream, type EventStreamOptions } from './events.js';
import type { WebSocketConstructor } from './websocket.js';

export type FetchLike = (input: string, init?: { method?: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal }) => Promise<{
  readonly ok: boolean;
  readonly status: number;
  text(): Promise<string>;
}>;

export interface RivuletClientOptions {
  /** e.g. `http://127.0.0.1:7400` */
  readonly baseUrl: string;
  readonly token: string;
  /** Defaults to the global fetch. */
  readonly fetch?: FetchLike;
  /** Defaults to the global WebSocket (browsers, Node 22+); pass `ws` on Node 20. */
  readonly WebSocket?: WebSocketConstructor;
  /** Per-request timeout (default 30 s). */
  readonly timeoutMs?: number;
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  return typeof value === 'object' && value !== null && typeof (value as ApiErrorBody).error === 'string';
}

function segment(id: string): string {
  return encodeURIComponent(id);
}

export class RivuletClient {
  private readonly baseUrl: string;
  private readonly token: string;
  private readonly fetchImpl: FetchLike;
  private readonly WebSocketImpl: WebSocketConstructor | undefined;
  private readonly timeoutMs: number;

  constructor(options: RivuletClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.token = options.token;
    // Browsers throw "Illegal invocation" when fetch is called detached from globalThis.
    const globalFetch = (globalThis as { fetch?: FetchLike }).fetch?.bind(globalThis);
    const fetchImpl = options.fetch ?? globalFetch;
    if (!fetchImpl) throw new TypeError('RivuletClient: no fetch available; pass the `fetch` option');
    this.fetchImpl = fetchImpl;
    this.WebSocketImpl = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** Graph files on the runner: list, read (secrets masked), save, create and delete. */
  readonly graphs = {
    list: async (): Promise<readonly GraphSummary[]> => (await this.request<GraphListResponse>('GET', '/api/graphs')).graphs,
    get: (id: string): Promise<GraphDocumentBody> => this.request('GET', `/api/graphs/${segment(id)}`),
    /** Creates or replaces; masked secrets keep their stored value. */
    put: (id: string, document: GraphDocumentBody): Promise<SaveGraphResponse> => this.request('PUT', `/api/graphs/${segment(id)}`, document),
    /** Creates a graph whose id is taken from the document; 409 if it exists. */
    create: (document: GraphDocumentBody): Promise<SaveGraphResponse> => this.request('POST', '/api/graphs', document),
    /** Stops the graph if it runs, then deletes its file. */
    remove: (id: string): Promise<DeleteGraphResponse> => this.request('DELETE', `/api/graphs/${segment(id)}`),
  };

  catalogue(): Promise<CatalogueResponse> {
    return this.request('GET', '/api/catalogue');
  }

  /** Validates a stored graph (by id) or an unsaved document. */
  validate(idOrDocument: string | GraphDocumentBody): Promise<ValidateResponse> {
    return typeof idOrDocument === 'string'
      ? this.request('POST', `/api/graphs/${segment(idOrDocument)}/validate`)
      : this.request('POST', '/api/validate', idOrDocument);
  }

  /** Starts a stored graph; an invalid graph rejects with code `invalid-graph` and its issues. */
  start(id: string): Promise<GraphStatus> {
    return this.request('POST', `/api/graphs/${segment(id)}/start`);
  }

  stop(id: string): Promise<GraphStatus> {
    return this.request('POST', `/api/graphs/${segment(id)}/stop`);
  }

  /** One graph's status, or every running graph's. */
  status(): Promise<readonly GraphStatus[]>;
  status(id: string): Promise<GraphStatus>;
  async status(id?: string): Promise<GraphStatus | readonly GraphStatus[]> {
    if (id !== undefined) return this.request<GraphStatus>('GET', `/api/graphs/${segment(id)}/status`);
    return (await this.request<StatusListResponse>('GET', '/api/status')).graphs;
  }

  explain(id: string): Promise<ExplainResponse> {
    return this.request('GET', `/api/explain/${segment(id)}`);
  }

  /** Runtime events (status, metrics, logs), optionally of one graph; reconnects on its own. */
  events(options: EventStreamOptions = {}): Observable<RuntimeEvent> {
    if (!this.WebSocketImpl) throw new TypeError('RivuletClient: no WebSocket available; pass the `WebSocket` option (e.g. `ws` on Node 20)');
    const url = new URL(`${this.baseUrl}/api/events`);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('token', this.token);
    if (options.graph !== undefined) url.searchParams.set('graph', options.graph);
    return eventStream({ url: url.toString(), WebSocket: this.WebSocketImpl }, options);
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, accept: 'application/json' };
    const init: Parameters<FetchLike>[1] = { method, headers, signal: AbortSignal.timeout(this.timeoutMs) };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response: Awaited<ReturnType<FetchLike>>;
    try {
      response = await this.fetchImpl(`${this.baseUrl}${path}`, init);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new RivuletApiError(0, 'unreachable', `${method} ${path}: ${message}`, [], { cause: error });
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      throw new RivuletApiError(response.status, 'bad-response', `${method} ${path}: the server answered ${response.status} with a body that is not JSON`);
    }
    if (!response.ok) {
      if (isErrorBody(parsed)) throw new RivuletApiError(response.status, parsed.error, parsed.message ?? parsed.error, parsed.issues ?? []);
      throw new RivuletApiError(response.status, 'http-error', `${method} ${path}: HTTP ${response.status}`);
    }
    return parsed as T;
  }
}
