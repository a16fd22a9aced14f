// webrtc/sfu-router: an SFU room with WHIP ingest and WHEP egress on its own HTTP server, optionally recording every publisher.
import { mkdirSync } from 'node:fs';
import { defineNode, port, secret } from '@rivulet/core';
import { Subject } from 'rxjs';
import { z } from 'zod';
import { WishServer } from '../http/wish-server.js';
import { SfuRouter } from '../sfu/router.js';

export const sfuRouterParams = z.object({
  host: z.string().default('127.0.0.1'),
  /** 0 picks a free port (shown in the node status). */
  port: z.number().int().min(0).max(65_535).default(8_189),
  /** Bearer token WHIP/WHEP clients must send; empty = none (loopback only). */
  token: secret(z.string().default('')),
  /** When set, every published track is recorded here (WebM for VP8/Opus, Matroska for H.264). */
  recordDir: z.string().default(''),
  iceServers: z.array(z.object({ urls: z.string(), username: z.string().optional(), credential: z.string().optional() })).default([]),
});

export interface SfuRouterEvent {
  readonly type: 'publisher-added' | 'publisher-removed' | 'recording-finished';
  readonly publisherId: string;
  readonly kind?: 'audio' | 'video';
  readonly codec?: string;
  readonly whep?: string;
  readonly path?: string;
}

export const sfuRouterNode = defineNode({
  type: 'webrtc/sfu-router',
  title: 'SFU router (WHIP/WHEP)',
  category: 'transports',
  description: 'Selective forwarding unit: WHIP publishers in, WHEP subscribers out, optional recording of every track.',
  params: sfuRouterParams,
  outputs: { events: port<SfuRouterEvent>('json', { description: 'publishers coming and going, recordings finished' }) },
  async create(ctx) {
    const p = ctx.params;
    if (p.token === '' && p.host !== '127.0.0.1' && p.host !== '::1' && p.host !== 'localhost') {
      throw new Error(`node ${ctx.nodeId}: param host ${p.host} is not loopback; set a token`);
    }
    if (p.recordDir) mkdirSync(p.recordDir, { recursive: true });
    const router = new SfuRouter({ ice: { host: p.host === 'localhost' ? '127.0.0.1' : p.host, iceServers: p.iceServers }, ...(p.recordDir ? { recordDir: p.recordDir } : {}) });
    const server = new WishServer(router, { host: p.host, port: p.port, ...(p.token ? { token: p.token } : {}), onError: (e, req) => ctx.log.warn(`${req}: ${e.code}: ${e.message}`) });
    const events = new Subject<SfuRouterEvent>();
    const { url } = await server.listen();
    const off = router.on((e) => {
      if (e.type === 'recording-finished') return events.next({ type: e.type, publisherId: e.publisherId, path: e.path });
      events.next({ type: e.type, publisherId: e.publisher.id, kind: e.publisher.kind, codec: e.publisher.codec.mimeType, whep: `${url}/whep/${e.publisher.id}` });
      ctx.metrics({ publishers: router.stats.publishers, subscribers: router.stats.subscribeTransports });
    });
    ctx.status('running', `WHIP ${url}/whip · WHEP ${url}/whep/<id>`);
    return {
      outputs: { events: events.asObservable() },
      async dispose() {
        off();
        await server.close();
        await router.close();
        events.complete();
      },
    };
  },
});
