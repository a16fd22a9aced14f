import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Catalogue, redactSecrets, SECRET_MASK, validateGraph } from '@rivulet/core';
import gstreamer from '@rivulet/plugin-gstreamer';
import { describe, expect, it } from 'vitest';
import peerSession from './index.js';

const catalogue = new Catalogue([gstreamer, peerSession]);
const example = (name: string): unknown => JSON.parse(readFileSync(fileURLToPath(new URL(`../../../examples/peer-session/${name}`, import.meta.url)), 'utf8'));

describe('the peer-session catalogue entries', () => {
  it('publishes the passphrase of every node as a secret that the API masks', () => {
    for (const type of ['peer-session/session', 'peer-session/outgoing-feed', 'peer-session/incoming-feed']) {
      expect(catalogue.descriptor(type)?.secrets).toContain('passphrase');
    }
    const masked = redactSecrets({ nodes: [{ id: 's', type: 'peer-session/session', params: { localPeer: 'Patient', passphrase: 'a-real-secret-value' } }] }, catalogue);
    expect(masked.nodes[0]!.params.passphrase).toBe(SECRET_MASK);
  });

  it('validates both example graphs, run from the repository root', () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const cwd = process.cwd();
    process.chdir(root);
    try {
      for (const name of ['patient.json', 'console.json']) {
        const result = validateGraph(example(name), catalogue);
        expect(result.ok ? [] : result.issues.map((i) => i.message)).toEqual([]);
      }
    } finally {
      process.chdir(cwd);
    }
  });
});
