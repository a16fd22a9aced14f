// The published JSON Schema of the graph format, generated from the zod schema so the two never drift.
import { z } from 'zod';
import type { JsonSchema } from '../catalogue/catalogue.js';
import { graphDocumentSchema } from './document.js';

/** Where the schema is published: the file ships in the npm package as schema/graph.schema.json. */
export const GRAPH_SCHEMA_ID = 'https://unpkg.com/@rivulet/core/schema/graph.schema.json';

/** JSON Schema (draft 2020-12) of a graph file as people write it: defaulted fields are optional. */
export function graphJsonSchema(): JsonSchema {
  const generated = z.toJSONSchema(graphDocumentSchema, { io: 'input' }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: GRAPH_SCHEMA_ID,
    title: 'Rivulet graph',
    description: 'A Rivulet pipeline graph: nodes (each of a type provided by a plugin, with its params) and edges from "node.port" to "node.port".',
    ...rest,
  };
}

/** The exact text of schema/graph.schema.json (two-space JSON and a final newline). */
export function graphJsonSchemaText(): string {
  return `${JSON.stringify(graphJsonSchema(), null, 2)}\n`;
}
