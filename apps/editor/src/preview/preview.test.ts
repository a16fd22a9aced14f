import { describe, expect, it } from 'vitest';
import { previewSupport, routerWhepUrl } from './preview.js';

const graph = {
  nodes: [
    { id: 'cam', type: 'gstreamer/test-video' },
    { id: 'enc', type: 'gstreamer/vp8-encoder' },
    { id: 'tn', type: 'gstreamer/to-node' },
    { id: 'sfu', type: 'webrtc/sfu-router', params: { port: 9000, inputId: 'cam' } },
    { id: 'rec', type: 'gstreamer/file-sink' },
  ],
  edges: [
    { from: 'cam.out', to: 'enc.in' },
    { from: 'enc.out', to: 'tn.in' },
    { from: 'enc.out', to: 'rec.in' },
    { from: 'tn.out', to: 'sfu.in' },
  ],
};

describe('previewSupport', () => {
  it('finds the router an encoded edge reaches through to-node and gives its WHEP URL', () => {
    expect(previewSupport(graph, { from: 'enc.out', to: 'rec.in' })).toEqual({ available: true, url: 'http://127.0.0.1:9000/whep/cam', router: 'sfu' });
  });

  it('says what to wire when the edge reaches no router', () => {
    const support = previewSupport(graph, { from: 'cam.out', to: 'enc.in' });
    expect(support.available).toBe(false);
    expect(!support.available && support.reason).toMatch(/webrtc\/sfu-router/);
  });

  it('refuses a token-protected router and reaches an all-interfaces router by the page host', () => {
    const withToken = { ...graph, nodes: graph.nodes.map((n) => (n.id === 'sfu' ? { ...n, params: { token: '••••••••' } } : n)) };
    expect(previewSupport(withToken, { from: 'tn.out', to: 'sfu.in' }).available).toBe(false);
    expect(routerWhepUrl({ params: { host: '0.0.0.0' } }, 'studio.local')).toBe('http://studio.local:8189/whep/in');
  });
});
