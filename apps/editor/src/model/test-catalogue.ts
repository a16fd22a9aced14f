// A small catalogue of node descriptors for the editor's unit tests (the shapes the runtime publishes).
import type { NodeDescriptor, PortDescriptor } from '@rivulet/core';
import type { Catalogue } from './port-rules.js';

const portOf = (type: string, multiple = false): PortDescriptor => ({ type, multiple, live: type.startsWith('video/') });

function descriptor(type: string, inputs: Record<string, PortDescriptor>, outputs: Record<string, PortDescriptor>, paramsSchema: Record<string, unknown> = { type: 'object', properties: {} }): NodeDescriptor {
  return { type, title: type, category: type.split('/')[0] ?? 'misc', plugin: 'test', inputs, outputs, paramsSchema, secrets: [], available: true };
}

export const testCatalogue: Catalogue = new Map(
  [
    descriptor('test/video', {}, { out: portOf('video/raw') }, {
      type: 'object',
      properties: { width: { type: 'integer', minimum: 16, maximum: 4096, default: 320 }, pattern: { type: 'string', enum: ['smpte', 'ball'], default: 'smpte' } },
    }),
    descriptor('test/x264', { in: portOf('video/raw') }, { out: portOf('video/h264') }),
    descriptor('test/sink', { in: portOf('video/*') }, {}),
    descriptor('test/json-log', { in: portOf('json', true) }, {}),
    descriptor('test/inject', {}, { out: portOf('json') }),
  ].map((d) => [d.type, d]),
);
