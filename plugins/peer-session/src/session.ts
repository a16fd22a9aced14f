// Peer-session settings: two peers with named channels, a passphrase, and which peer is local.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { secret } from '@rivulet/core';
import { z } from 'zod';

export const PASSPHRASE_MIN = 10;
export const PASSPHRASE_MAX = 79;
export const DEFAULT_LATENCY_MS = 120;

export const channelSchema = z
  .object({
    /** The channel's key, e.g. `room-cam`; feeds name it in their `channel` param. */
    label: z.string().min(1),
    port: z.number().int().min(1).max(65_535),
    /** A human title, e.g. `Patient: Room`. */
    title: z.string().optional(),
  })
  .strict();

export const peerSchema = z
  .object({
    label: z.string().min(1),
    /** Hostname or IP the other peer calls; unused for the local peer. */
    host: z.string().min(1).default('127.0.0.1'),
    channels: z.array(channelSchema).default([]),
  })
  .strict();

export type ChannelDetails = z.output<typeof channelSchema>;
export type PeerDetails = z.output<typeof peerSchema>;

/** What both sides share (a session file holds exactly this). */
export const sharedSessionSchema = z
  .object({
    peers: z.array(peerSchema),
    passphrase: z.string(),
    keyLength: z.union([z.literal(16), z.literal(24), z.literal(32)]).optional(),
    latencyMs: z.number().int().min(20).max(10_000).default(DEFAULT_LATENCY_MS),
  })
  .strict();

export type SharedSession = z.output<typeof sharedSessionSchema>;

/**
 * A session as a node's params: either inline (`peers`, `passphrase`…) or from a shared JSON
 * file (`sessionFile`, relative to the working directory); inline values override the file's.
 */
export const sessionParamsShape = {
  localPeer: z.string().min(1).describe('Label of the peer this side plays (e.g. "Patient")'),
  sessionFile: z.string().min(1).optional().describe('Shared session JSON (peers, passphrase, keyLength, latencyMs)'),
  peers: z.array(peerSchema).optional(),
  passphrase: secret(z.string().optional()),
  keyLength: z.union([z.literal(16), z.literal(24), z.literal(32)]).optional(),
  latencyMs: z.number().int().min(20).max(10_000).optional(),
  listenAddress: z.string().min(1).default('127.0.0.1').describe('Address outgoing feeds listen on (0.0.0.0 for a LAN)'),
};

export const sessionParamsSchema = z.object(sessionParamsShape).strict();
export type SessionParams = z.output<typeof sessionParamsSchema>;

/** A session resolved for one side: who is local, who is remote, and the SRT settings. */
export interface ResolvedSession {
  readonly local: PeerDetails;
  readonly remote: PeerDetails;
  readonly passphrase: string;
  readonly keyLength?: 16 | 24 | 32;
  readonly latencyMs: number;
  readonly listenAddress: string;
}

export interface SessionProblem {
  /** The param the problem belongs to (`passphrase`, `sessionFile`, `peers`, `localPeer`, `channel`). */
  readonly param: string;
  readonly message: string;
}

export type SessionResult = { readonly ok: true; readonly session: ResolvedSession } | { readonly ok: false; readonly problems: readonly SessionProblem[] };

function loadSessionFile(path: string): { shared?: Partial<SharedSession>; problem?: SessionProblem } {
  let text: string;
  try {
    text = readFileSync(resolve(path), 'utf8');
  } catch (error) {
    return { problem: { param: 'sessionFile', message: `session file ${path} cannot be read: ${(error as Error).message}` } };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { problem: { param: 'sessionFile', message: `session file ${path} is not JSON: ${(error as Error).message}` } };
  }
  const parsed = sharedSessionSchema.partial().safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    return { problem: { param: 'sessionFile', message: `session file ${path}, field "${first.path.join('.')}": ${first.message}` } };
  }
  return { shared: parsed.data };
}

/** Checks the passphrase length rule of the seed: 10 to 79 characters. */
export function passphraseProblem(passphrase: string): string | undefined {
  const n = [...passphrase].length;
  if (n < PASSPHRASE_MIN || n > PASSPHRASE_MAX) return `passphrase must be ${PASSPHRASE_MIN} to ${PASSPHRASE_MAX} characters (got ${n})`;
  return undefined;
}

/** Channel ports must be unique per peer, and across both peers when they share a host. */
function portProblems(peers: readonly PeerDetails[], where: string): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const peer of peers) {
    const labels = new Set<string>();
    for (const channel of peer.channels) {
      if (labels.has(channel.label)) problems.push(`${where}: peer ${peer.label} declares channel ${channel.label} twice`);
      labels.add(channel.label);
      for (const key of [`${peer.label}\u0000${channel.port}`, `host:${peer.host}\u0000${channel.port}`]) {
        const other = seen.get(key);
        if (other) {
          problems.push(`${where}: duplicate channel port ${channel.port}: ${other} and ${peer.label}/${channel.label}`);
          break;
        }
      }
      seen.set(`${peer.label}\u0000${channel.port}`, `${peer.label}/${channel.label}`);
      seen.set(`host:${peer.host}\u0000${channel.port}`, `${peer.label}/${channel.label}`);
    }
  }
  return problems;
}

/** Merges the file and the inline params and checks every rule of a session; reports all problems. */
export function resolveSession(params: Pick<SessionParams, 'localPeer' | 'sessionFile' | 'peers' | 'passphrase' | 'keyLength' | 'latencyMs'> & { listenAddress?: string }): SessionResult {
  const problems: SessionProblem[] = [];
  let shared: Partial<SharedSession> = {};
  if (params.sessionFile !== undefined) {
    const loaded = loadSessionFile(params.sessionFile);
    if (loaded.problem) return { ok: false, problems: [loaded.problem] };
    shared = loaded.shared ?? {};
  }
  const from = (param: string): string => (params[param as keyof typeof params] !== undefined || params.sessionFile === undefined ? param : 'sessionFile');
  const peers = params.peers ?? shared.peers;
  const passphrase = params.passphrase ?? shared.passphrase;
  const where = (param: string): string => (from(param) === 'sessionFile' ? `session file ${params.sessionFile}` : param);

  if (passphrase === undefined) problems.push({ param: 'passphrase', message: 'passphrase is required (a param or in the session file)' });
  else {
    const bad = passphraseProblem(passphrase);
    if (bad) problems.push({ param: from('passphrase'), message: from('passphrase') === 'sessionFile' ? `${where('passphrase')}: ${bad}` : bad });
  }
  if (!peers) problems.push({ param: 'peers', message: 'peers are required (two peers, as a param or in the session file)' });
  else if (peers.length !== 2) problems.push({ param: from('peers'), message: `${where('peers')}: a peer session joins exactly two peers (got ${peers.length})` });
  else {
    if (peers[0]!.label === peers[1]!.label) problems.push({ param: from('peers'), message: `${where('peers')}: both peers are labelled ${peers[0]!.label}` });
    for (const message of portProblems(peers, where('peers'))) problems.push({ param: from('peers'), message });
    if (!peers.some((p) => p.label === params.localPeer)) {
      problems.push({ param: 'localPeer', message: `localPeer ${params.localPeer} is not a peer of the session (peers: ${peers.map((p) => p.label).join(', ')})` });
    }
  }
  if (problems.length || !peers || passphrase === undefined) return { ok: false, problems };
  const local = peers.find((p) => p.label === params.localPeer)!;
  const remote = peers.find((p) => p.label !== params.localPeer)!;
  const keyLength = params.keyLength ?? shared.keyLength;
  return {
    ok: true,
    session: {
      local,
      remote,
      passphrase,
      ...(keyLength !== undefined ? { keyLength } : {}),
      latencyMs: params.latencyMs ?? shared.latencyMs ?? DEFAULT_LATENCY_MS,
      listenAddress: params.listenAddress ?? '127.0.0.1',
    },
  };
}

/** Adds each session problem to a zod refinement context, at the param it belongs to. */
export function reportProblems(problems: readonly SessionProblem[], ctx: z.RefinementCtx): void {
  for (const problem of problems) ctx.addIssue({ code: 'custom', path: [problem.param], message: problem.message });
}

/** Parses params and resolves the session; throws if they are invalid (used where validation already ran). */
export function sessionOf(params: SessionParams): ResolvedSession {
  const result = resolveSession(params);
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('; '));
  return result.session;
}
