// The peer-session/session config node: checks a session (inline or from a shared file) and shows who talks to whom.
import { defineNode } from '@rivulet/core';
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
    const names = (channels: readonly { label: string; port: number }[]): string => channels.map((c) => `${c.label}:${c.port}`).join(', ') || 'none';
    ctx.status(
      'running',
      `${session.local.label} (local, sends ${names(session.local.channels)}) ↔ ${session.remote.label} at ${session.remote.host} (sends ${names(session.remote.channels)})`,
    );
    return {};
  },
});
