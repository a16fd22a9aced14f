import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineNode, definePlugin } from '../plugin/define.js';
import { port } from '../plugin/port.js';
import { secret, SECRET_MASK } from '../plugin/secret.js';
import { Catalogue } from '../catalogue/catalogue.js';
import type { GraphDocumentInput } from './document.js';
import { redactSecrets, restoreSecrets } from './secrets.js';

const create = () => ({ outputs: {} });
const catalogue = new Catalogue([
  definePlugin({
    name: '@rivulet/plugin-test',
    nodes: [
      defineNode({
        type: 'test/srt-out',
        title: 'SRT out',
        category: 'transports',
        params: z.object({ uri: z.string(), passphrase: secret(z.string().min(10)).optional(), token: secret(z.string()).optional() }),
        inputs: { in: port('video/h264') },
        create,
      }),
      defineNode({ type: 'test/log', title: 'Log', category: 'output', params: z.object({ passphrase: z.string().optional() }), create }),
    ],
  }),
]);

const stored: GraphDocumentInput = {
  rivulet: 1,
  id: 'demo',
  nodes: [
    { id: 'push', type: 'test/srt-out', params: { uri: 'srt://127.0.0.1:9000', passphrase: 'correct horse battery', token: 't0ken' } },
    { id: 'log', type: 'test/log', params: { passphrase: 'not a secret here' } },
  ],
  edges: [],
};

describe('redactSecrets', () => {
  it('masks secret params and leaves the rest, without touching the original', () => {
    const redacted = redactSecrets(stored, catalogue);
    expect(redacted.nodes?.[0]?.params).toEqual({ uri: 'srt://127.0.0.1:9000', passphrase: SECRET_MASK, token: SECRET_MASK });
    expect(redacted.nodes?.[1]).toBe(stored.nodes?.[1]);
    expect(stored.nodes?.[0]?.params?.['passphrase']).toBe('correct horse battery');
    expect(JSON.stringify(redacted)).not.toContain('correct horse');
  });

  it('does not invent a mask for a secret that is not set, and passes odd input through', () => {
    const unset = { rivulet: 1, id: 'x', nodes: [{ id: 'push', type: 'test/srt-out', params: { uri: 'srt://127.0.0.1:9000' } }] };
    expect(redactSecrets(unset, catalogue)).toBe(unset);
    expect(redactSecrets('not a graph', catalogue)).toBe('not a graph');
    expect(redactSecrets({ nodes: [null, { type: 7 }] }, catalogue)).toEqual({ nodes: [null, { type: 7 }] });
  });
});

describe('restoreSecrets', () => {
  it('puts back the stored value where an edited graph sends the mask, and keeps new values', () => {
    const edited = redactSecrets(stored, catalogue);
    const incoming = {
      ...edited,
      nodes: [{ ...edited.nodes![0]!, params: { ...edited.nodes![0]!.params, uri: 'srt://127.0.0.1:9001', token: 'new-token' } }, edited.nodes![1]!],
    };
    const restored = restoreSecrets(incoming, stored, catalogue);
    expect(restored.nodes?.[0]?.params).toEqual({ uri: 'srt://127.0.0.1:9001', passphrase: 'correct horse battery', token: 'new-token' });
    expect(restored.nodes?.[1]?.params).toEqual({ passphrase: 'not a secret here' });
  });

  it('drops a mask it cannot restore instead of saving the mask as the secret', () => {
    const incoming = {
      rivulet: 1,
      id: 'demo',
      nodes: [
        { id: 'renamed', type: 'test/srt-out', params: { uri: 'srt://127.0.0.1:9000', passphrase: SECRET_MASK } },
        { id: 'log', type: 'test/log', params: { passphrase: SECRET_MASK } },
      ],
    };
    const restored = restoreSecrets(incoming, stored, catalogue);
    expect(restored.nodes[0]!.params).toEqual({ uri: 'srt://127.0.0.1:9000' });
    // Not a secret param for this type: the value is the user's literal text.
    expect(restored.nodes[1]!.params).toEqual({ passphrase: SECRET_MASK });
    expect(restoreSecrets(incoming, undefined, catalogue).nodes[0]!.params).toEqual({ uri: 'srt://127.0.0.1:9000' });
  });

  it('does not carry a secret over to a node whose type changed', () => {
    const incoming = { rivulet: 1, id: 'demo', nodes: [{ id: 'log', type: 'test/srt-out', params: { uri: 'srt://127.0.0.1:1', passphrase: SECRET_MASK } }] };
    const storedWithSecret = { nodes: [{ id: 'log', type: 'test/other', params: { passphrase: 'old' } }] };
    expect(restoreSecrets(incoming, storedWithSecret, catalogue).nodes[0]!.params).toEqual({ uri: 'srt://127.0.0.1:1' });
  });
});
