// Starts an HTTP(S) server on host:port and reports where it listens; shared by every signalling server.
import { readFile } from 'node:fs/promises';
import { createServer as createHttp, type Server as HttpServer } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
}

export interface ListenOptions {
  /** Defaults to 127.0.0.1. */
  readonly host?: string;
  /** 0 picks any free port. */
  readonly port?: number;
  readonly tls?: TlsFiles;
}

export interface ServerAddress {
  readonly host: string;
  readonly port: number;
  /** ws:// or wss:// base URL clients connect to. */
  readonly url: string;
}

export class SignallingServerError extends Error {
  override readonly name = 'SignallingServerError';
  constructor(
    readonly code: 'listen-failed' | 'tls-files' | 'already-started',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export async function createHttpServer(tls: TlsFiles | undefined): Promise<HttpServer> {
  if (!tls) return createHttp();
  try {
    const [cert, key] = await Promise.all([readFile(tls.certFile), readFile(tls.keyFile)]);
    return createHttps({ cert, key }) as unknown as HttpServer;
  } catch (error) {
    throw new SignallingServerError('tls-files', `cannot read TLS files ${tls.certFile} / ${tls.keyFile}: ${(error as Error).message}`, { cause: error });
  }
}

export function listen(server: HttpServer, host: string, port: number, secure: boolean): Promise<ServerAddress> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(new SignallingServerError('listen-failed', `cannot listen on ${host}:${port}: ${error.message}`, { cause: error }));
    server.once('error', onError);
    // A deep backlog so thousands of clients connecting at once are not refused.
    server.listen({ host, port, backlog: 4096 }, () => {
      server.off('error', onError);
      const address = server.address() as AddressInfo;
      const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve({ host: address.address, port: address.port, url: `${secure ? 'wss' : 'ws'}://${urlHost}:${address.port}` });
    });
  });
}

/** Closes the server and drops every open socket so close() never waits on idle clients. */
export function closeHttpServer(server: HttpServer): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
