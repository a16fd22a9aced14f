// Live preview of video edges: where an edge's media can be watched over WHEP, and whether it can at all.
//
// The design: the runtime inserts nothing. An edge is previewable when its media reaches a
// `webrtc/sfu-router` node's `in` port in the graph the user drew, directly or through
// `gstreamer/to-node` (which turns encoded video into RTP). That router publishes it as
// `/whep/<inputId>` on its own HTTP server, and the page plays it with an RTCPeerConnection.

export type PreviewSupport =
  | { readonly available: true; readonly url: string; readonly router: string }
  | { readonly available: false; readonly reason: string };

export interface PreviewGraph {
  readonly nodes: readonly { readonly id: string; readonly type: string; readonly params?: unknown }[];
  readonly edges: readonly { readonly from: string; readonly to: string }[];
}

const ROUTER = 'webrtc/sfu-router';
/** Nodes the media passes through unchanged in content on its way to a router. */
const PASS_THROUGH: Readonly<Record<string, string>> = { 'gstreamer/to-node': 'out' };

const NO_ROUTER =
  'Wire this edge into a WebRTC SFU router to watch it: add webrtc/sfu-router and connect this video (through gstreamer/to-node) to its in port; the router serves it over WHEP.';

function param(node: { readonly params?: unknown }, name: string): unknown {
  return typeof node.params === 'object' && node.params !== null ? (node.params as Record<string, unknown>)[name] : undefined;
}

/** The WHEP URL of a router node's `in` publisher, from its params (defaults as the node has them). */
export function routerWhepUrl(router: { readonly params?: unknown }, pageHost = '127.0.0.1'): string {
  const host = String(param(router, 'host') ?? '127.0.0.1');
  const port = Number(param(router, 'port') ?? 8189);
  const id = String(param(router, 'inputId') ?? 'in');
  // A router on every interface is reached the way the page reached the runner.
  const reach = host === '0.0.0.0' || host === '::' ? pageHost : host;
  return `http://${reach.includes(':') ? `[${reach}]` : reach}:${port}/whep/${encodeURIComponent(id)}`;
}

/**
 * Whether the media on `edge` can be watched in the page, and at which WHEP URL.
 * Without a graph and edge (older callers) it explains what a preview needs.
 */
export function previewSupport(graph?: PreviewGraph, edge?: { readonly from: string; readonly to: string }, pageHost?: string): PreviewSupport {
  if (!graph || !edge) return { available: false, reason: NO_ROUTER };
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const seen = new Set<string>();
  const queue = [edge.from];
  while (queue.length > 0) {
    const from = queue.shift()!;
    if (seen.has(from)) continue;
    seen.add(from);
    for (const e of graph.edges.filter((x) => x.from === from)) {
      const [nodeId, port] = splitRef(e.to);
      const node = byId.get(nodeId);
      if (!node) continue;
      if (node.type === ROUTER && port === 'in') {
        if (String(param(node, 'token') ?? '') !== '') {
          return { available: false, reason: `Router ${node.id} wants a bearer token; the preview plays only token-less (loopback) routers.` };
        }
        return { available: true, url: routerWhepUrl(node, pageHost), router: node.id };
      }
      const out = PASS_THROUGH[node.type];
      if (out) queue.push(`${nodeId}.${out}`);
    }
  }
  return { available: false, reason: NO_ROUTER };
}

function splitRef(ref: string): [string, string] {
  const dot = ref.indexOf('.');
  return dot < 0 ? [ref, ''] : [ref.slice(0, dot), ref.slice(dot + 1)];
}
