import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalogue, validateGraph } from '@rivulet/core';
import gstreamer from '@rivulet/plugin-gstreamer';
import { afterAll, describe, expect, it } from 'vitest';
import peerSession, { resolveSession } from './index.js';

const peers = [
  { label: 'Patient', host: '127.0.0.1', channels: [{ label: 'room-cam', port: 7001 }, { label: 'room-mic', port: 7002 }] },
  { label: 'Console', host: '127.0.0.1', channels: [{ label: 'web-cam', port: 7003 }, { label: 'local-mic', port: 7004 }] },
];
const dir = mkdtempSync(join(tmpdir(), 'peer-session-'));
const sessionFile = join(dir, 'session.json');
writeFileSync(sessionFile, JSON.stringify({ peers, passphrase: 'a-long-enough-secret', keyLength: 16 }));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const catalogue = (): Catalogue => new Catalogue([gstreamer, peerSession]);

function problems(params: Parameters<typeof resolveSession>[0]): string[] {
  const result = resolveSession(params);
  return result.ok ? [] : result.problems.map((p) => `${p.param}: ${p.message}`);
}

describe('peer session settings', () => {
  it('accepts passphrases of 10 and 79 characters and refuses 9 and 80', () => {
    expect(problems({ localPeer: 'Patient', peers, passphrase: 'x'.repeat(10) })).toEqual([]);
    expect(problems({ localPeer: 'Patient', peers, passphrase: 'x'.repeat(79) })).toEqual([]);
    expect(problems({ localPeer: 'Patient', peers, passphrase: 'x'.repeat(9) })).toEqual(['passphrase: passphrase must be 10 to 79 characters (got 9)']);
    expect(problems({ localPeer: 'Patient', peers, passphrase: 'x'.repeat(80) })).toEqual(['passphrase: passphrase must be 10 to 79 characters (got 80)']);
  });

  it('refuses two channels on the same port, naming both', () => {
    const clash = [peers[0]!, { ...peers[1]!, channels: [{ label: 'web-cam', port: 7002 }] }];
    expect(problems({ localPeer: 'Patient', peers: clash, passphrase: 'x'.repeat(12) })).toEqual([
      'peers: peers: duplicate channel port 7002: Patient/room-mic and Console/web-cam',
    ]);
  });

  it('resolves the same file as either side, swapping local and remote', () => {
    const patient = resolveSession({ localPeer: 'Patient', sessionFile });
    const console = resolveSession({ localPeer: 'Console', sessionFile });
    expect(patient.ok && [patient.session.local.label, patient.session.remote.label, patient.session.keyLength, patient.session.latencyMs]).toEqual(['Patient', 'Console', 16, 120]);
    expect(console.ok && [console.session.local.label, console.session.remote.label]).toEqual(['Console', 'Patient']);
  });

  it('names the peers when localPeer is not one of them', () => {
    expect(problems({ localPeer: 'Nurse', sessionFile })).toEqual(['localPeer: localPeer Nurse is not a peer of the session (peers: Patient, Console)']);
  });

  it('blames the session file for a short passphrase written in it', () => {
    const bad = join(dir, 'short.json');
    writeFileSync(bad, JSON.stringify({ peers, passphrase: 'too-short' }));
    expect(problems({ localPeer: 'Patient', sessionFile: bad })).toEqual([`sessionFile: session file ${bad}: passphrase must be 10 to 79 characters (got 9)`]);
  });
});

describe('feed validation', () => {
  const graph = (type: string, channel: string) => ({
    rivulet: 1,
    id: 'g',
    nodes: [{ id: 'feed', type, params: { sessionFile, localPeer: 'Patient', channel } }],
    edges: [],
  });

  it('refuses an outgoing feed on a channel of the remote peer, listing the local channels', () => {
    const result = validateGraph(graph('peer-session/outgoing-feed', 'web-cam'), catalogue());
    expect(result.ok).toBe(false);
    const messages = result.ok ? [] : result.issues.map((i) => i.message).join('\n');
    expect(messages).toContain('channel web-cam is a channel of the remote peer Console; an outgoing feed uses a channel of the local peer Patient: room-cam, room-mic');
  });

  it('refuses an incoming feed on a channel of the local peer, listing the remote channels', () => {
    const result = validateGraph(graph('peer-session/incoming-feed', 'room-mic'), catalogue());
    const messages = result.ok ? '' : result.issues.map((i) => i.message).join('\n');
    expect(messages).toContain('an incoming feed uses a channel of the remote peer Console: web-cam, local-mic');
  });

  it('accepts a feed on a channel of the right peer', () => {
    expect(validateGraph(graph('peer-session/outgoing-feed', 'room-cam'), catalogue()).ok).toBe(true);
    expect(validateGraph(graph('peer-session/incoming-feed', 'local-mic'), catalogue()).ok).toBe(true);
  });
});
