import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { GRAPH_SCHEMA_ID, graphJsonSchema, graphJsonSchemaText } from './json-schema.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test digs into a known JSON shape
type Schema = Record<string, any>;

const committedFile = new URL('../../schema/graph.schema.json', import.meta.url);

describe('graphJsonSchema', () => {
  it('matches the committed schema/graph.schema.json (regenerate with scripts/write-graph-schema.mjs)', async () => {
    const committed = await readFile(committedFile, 'utf8');
    expect(committed, 'schema/graph.schema.json is stale: build, then run node scripts/write-graph-schema.mjs').toBe(graphJsonSchemaText());
  });

  it('describes the file as written: defaulted fields optional, unknown fields refused, patterns published', () => {
    // Read through JSON so nested properties can be indexed freely.
    const schema = JSON.parse(graphJsonSchemaText()) as Schema;
    expect(schema).toEqual(graphJsonSchema());
    expect(schema['$id']).toBe(GRAPH_SCHEMA_ID);
    expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema['title']).toBe('Rivulet graph');
    expect(schema['required']).toEqual(['rivulet', 'id']);
    expect(schema['additionalProperties']).toBe(false);
    expect(schema['properties'].rivulet).toMatchObject({ const: 1 });
    const node = schema['properties'].nodes.items;
    expect(node.required).toEqual(['id', 'type']);
    expect(node.properties.onError).toMatchObject({ enum: ['stop', 'restart', 'ignore'], default: 'stop' });
    expect(schema['properties'].edges.items.properties.from.pattern).toBe('^[A-Za-z_][A-Za-z0-9_-]{0,63}\\.[A-Za-z_][A-Za-z0-9_-]{0,63}$');
  });
});
