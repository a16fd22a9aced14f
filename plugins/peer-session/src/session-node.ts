// The peer-session/session config node: checks a session (inline or from a shared file) and shows who talks to whom.
import { defineNode } from '@rivulet/core';
import { boundUdpPorts } from './ports.js';
import { reportProblems, resolveSession, sessionOf, sessionParamsSchema } from './session.js';

export const sessionNode = defineNode({
  type: 'peer-session/session',
  title: 'Peer session',
  category: 'transports',
  description:
    'Two peers with named channels and an encryption passphrase (10 to 79 characters). The same session file serves both sides; localPeer says which one this graph plays. Feed nodes carry the same session params (usually just sessionFile and localPeer).',
  params: sessionParamsSchema.superRefine((params, ctx) => {
    const result = resolveSession(params);
    if (!result.ok) reportProblems(result.problems, ctx);
  }),
  create(ctx) {
    const session = sessionOf(ctx.params);
    // Checked when the graph starts, before the feeds' pipelines have bound their ports. A port in
    // use is reported here by name; the feed on it fails on its own and the others keep running.
    const bound = boundUdpPorts();
    const busy = session.local.channels.filter((c) => bound.has(c.port));
    if (busy.length) {
      const text = busy.map((c) => `channel ${c.label}: UDP port ${c.port} is already in use on this machine`).join('; ');
      ctx.log.error(`session of ${session.local.label}: ${text}`);
      ctx.status('error', text);
      return {};
    }
    const names = (channels: readonly { label: string; port: number }[]): string => channels.map((c) => `${c.label}:${c.port}`).join(', ') || 'none';
    ctx.status(
      'running',
      `${session.local.label} (local, sends ${names(session.local.channels)}) ↔ ${session.remote.label} at ${session.remote.host} (sends ${names(session.remote.channels)})`,
    );
    return {};
  },
});
