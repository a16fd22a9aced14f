// @rivulet/plugin-peer-session: two-peer encrypted media sessions over SRT with named channels.
import { definePlugin } from '@rivulet/core';
import { incomingFeed, outgoingFeed } from './feeds.js';
import { sessionNode } from './session-node.js';

export { incomingFeed, outgoingFeed, sessionNode };
export {
  resolveSession,
  passphraseProblem,
  sessionParamsSchema,
  sharedSessionSchema,
  PASSPHRASE_MIN,
  PASSPHRASE_MAX,
  DEFAULT_LATENCY_MS,
  type ChannelDetails,
  type PeerDetails,
  type ResolvedSession,
  type SessionParams,
  type SharedSession,
  type SessionProblem,
  type SessionResult,
} from './session.js';

export const nodes = [sessionNode, outgoingFeed, incomingFeed];

export default definePlugin({
  name: '@rivulet/plugin-peer-session',
  version: '0.1.0',
  nodes,
});
