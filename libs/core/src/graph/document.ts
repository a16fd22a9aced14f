// The graph document format ("rivulet": 1) as a zod schema; the JSON Schema file is generated from it.
import { z } from 'zod';

export const NODE_ID = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
export const PORT_REF = /^[A-Za-z_][A-Za-z0-9_-]{0,63}\.[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
export const GRAPH_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export const restartOptionsSchema = z
  .object({
    initialDelayMs: z.number().int().min(10).max(600_000).default(500),
    maxDelayMs: z.number().int().min(10).max(3_600_000).default(30_000),
    maxAttempts: z.number().int().min(0).optional().describe('Give up after this many restarts in a row (default: never)'),
  })
  .strict();

export const graphNodeSchema = z
  .object({
    id: z.string().regex(NODE_ID, 'node id: a letter or _, then letters, digits, _ or - (at most 64)'),
    type: z.string().min(1).describe('<plugin>/<node>, e.g. gstreamer/test-video'),
    name: z.string().max(200).optional(),
    params: z.record(z.string(), z.unknown()).default({}),
    position: z.object({ x: z.number(), y: z.number() }).optional(),
    onError: z.enum(['stop', 'restart', 'ignore']).default('stop'),
    restart: restartOptionsSchema.optional(),
  })
  .strict();

export const graphEdgeSchema = z
  .object({
    from: z.string().regex(PORT_REF, 'expected "node.port"'),
    to: z.string().regex(PORT_REF, 'expected "node.port"'),
    live: z.boolean().optional().describe('Bounded drop-oldest delivery (defaults to the input port’s setting)'),
    capacity: z.number().int().min(1).max(100_000).optional(),
  })
  .strict();

export const graphDocumentSchema = z
  .object({
    $schema: z.string().optional(),
    rivulet: z.literal(1),
    id: z.string().regex(GRAPH_ID, 'graph id: lowercase letters, digits, _ or -, starting with a letter or digit (at most 64)'),
    name: z.string().max(200).default(''),
    description: z.string().max(10_000).optional(),
    nodes: z.array(graphNodeSchema).default([]),
    edges: z.array(graphEdgeSchema).default([]),
  })
  .strict();

/** A graph as written in a file (defaults not yet applied). */
export type GraphDocumentInput = z.input<typeof graphDocumentSchema>;
/** A graph after structural validation (defaults applied). */
export type GraphDocument = z.output<typeof graphDocumentSchema>;
export type GraphNode = z.output<typeof graphNodeSchema>;
export type GraphEdge = z.output<typeof graphEdgeSchema>;
export type RestartOptions = z.output<typeof restartOptionsSchema>;
