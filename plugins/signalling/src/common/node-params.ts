// Param schemas shared by the server and client nodes, and the glue that runs a server inside a node.
import type { NodeContext } from '@rivulet/core';
import { z } from 'zod';
import type { ListenOptions, ServerAddress } from './listen.js';

export function serverParams(defaultPort: number) {
  return z
    .object({
      host: z.string().min(1).default('127.0.0.1').describe('Address to listen on'),
      port: z.number().int().min(0).max(65_535).default(defaultPort).describe('TCP port; 0 picks a free one (shown in the status)'),
      certFile: z.string().min(1).optional().describe('TLS certificate (PEM); with keyFile, serves wss://'),
      keyFile: z.string().min(1).optional().describe('TLS private key (PEM)'),
      maxFrameBytes: z.number().int().min(1_024).max(64 * 1024 * 1024).default(1 << 20).describe('Largest accepted message; bigger ones close that client'),
      keepAliveSeconds: z.number().min(1).max(3_600).default(30).describe('Keep-alive ping interval'),
      maxMessagesPerSecond: z.number().int().min(1).max(1_000_000).default(500).describe('Per-client rate; a client above it is closed'),
    })
    .refine((p) => (p.certFile === undefined) === (p.keyFile === undefined), { message: 'certFile and keyFile go together', path: ['keyFile'] });
}

export type ServerParams = z.output<ReturnType<typeof serverParams>>;

export function listenOptions(params: ServerParams): ListenOptions {
  return {
    host: params.host,
    port: params.port,
    ...(params.certFile !== undefined && params.keyFile !== undefined ? { tls: { certFile: params.certFile, keyFile: params.keyFile } } : {}),
  };
}

interface RunnableServer {
  start(options: ListenOptions): Promise<ServerAddress>;
  close(): Promise<void>;
  readonly connectionCount: number;
}

/** Starts the server, reports where it listens and how many are connected, and closes it on stop. */
export async function runServer(ctx: NodeContext<ServerParams>, server: RunnableServer, label: string) {
  ctx.status('starting');
  const address = await server.start(listenOptions(ctx.params));
  ctx.status('running', `${label} listening on ${address.url}`);
  ctx.log.info(`${label} listening on ${address.url}`);
  const timer = setInterval(() => ctx.metrics({ connections: server.connectionCount }), 1_000);
  timer.unref();
  const close = async () => {
    clearInterval(timer);
    await server.close();
  };
  ctx.signal.addEventListener('abort', () => void close(), { once: true });
  return { dispose: close };
}
