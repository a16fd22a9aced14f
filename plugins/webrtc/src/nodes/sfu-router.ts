// webrtc/sfu-router: an SFU room with WHIP ingest and WHEP egress on its own HTTP server, optionally recording every publisher.
import { mkdirSync } from 'node:fs';
import { defineNode, port, secret } from '@rivulet/core';
import { Subject, filter } from 'rxjs';
import { isRtpPacket as isRtpMessage, KEYFRAME_PORT_TYPE, type KeyframeRequest, type RtpPacket as RtpMessage } from '@rivulet/core';
import { directInput, type DirectInput } from '../sfu/direct-publisher.js';
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
  /** Publisher id of the media arriving on the `in` port (WHEP: /whep/<inputId>). */
  inputId: z.string().regex(/^[A-Za-z0-9_.-]+$/).default('in'),
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
  inputs: { in: port<RtpMessage>('any', { live: true, description: 'RTP from the graph (e.g. gstreamer/to-node), published as <inputId>' }) },
  outputs: {
    events: port<SfuRouterEvent>('json', { description: 'publishers coming and going, recordings finished' }),
    keyframe: port<KeyframeRequest>(KEYFRAME_PORT_TYPE, { description: 'a viewer of the `in` publisher needs a key frame' }),
  },
  async create(ctx) {
    const p = ctx.params;
    if (p.token === '' && p.host !== '127.0.0.1' && p.host !== '::1' && p.host !== 'localhost') {
      throw new Error(`node ${ctx.nodeId}: param host ${p.host} is not loopback; set a token`);
    }
    if (p.recordDir) mkdirSync(p.recordDir, { recursive: true });
    const router = new SfuRouter({ ice: { host: p.host === 'localhost' ? '127.0.0.1' : p.host, iceServers: p.iceServers }, ...(p.recordDir ? { recordDir: p.recordDir } : {}) });
    const server = new WishServer(router, { host: p.host, port: p.port, iceServers: p.iceServers, ...(p.token ? { token: p.token } : {}), onError: (e, req) => ctx.log.warn(`${req}: ${e.code}: ${e.message}`) });
    const events = new Subject<SfuRouterEvent>();
    const { url } = await server.listen();
    const off = router.on((e) => {
      if (e.type === 'recording-finished') return events.next({ type: e.type, publisherId: e.publisherId, path: e.path });
      events.next({ type: e.type, publisherId: e.publisher.id, kind: e.publisher.kind, codec: e.publisher.codec.mimeType, whep: `${url}/whep/${e.publisher.id}` });
      ctx.metrics({ publishers: router.stats.publishers, subscribers: router.stats.subscribeTransports });
    });
    const keyframe = new Subject<KeyframeRequest>();
    let direct: DirectInput | undefined;
    let dropped = 0;
    const input = ctx.inputs.in.pipe(filter(isRtpMessage)).subscribe((message) => {
      if (!direct) {
        direct = directInput(p.inputId, message, () => keyframe.next({ kind: 'keyframe', reason: 'pli' }));
        if (!direct) return void (dropped++ === 0 && ctx.log.warn(`input: cannot publish ${message.codec} RTP (VP8, H264 or OPUS)`));
        router.addPublisher(direct.publisher);
      }
      if (!direct.push(message)) dropped++;
    });
    ctx.status('running', `WHIP ${url}/whip · WHEP ${url}/whep/<id>`);
    return {
      outputs: { events: events.asObservable(), keyframe: keyframe.asObservable() },
      async dispose() {
        input.unsubscribe();
        direct?.publisher.close();
        keyframe.complete();
        off();
        await server.close();
        await router.close();
        events.complete();
      },
    };
  },
});
