import { describe, expect, it } from 'vitest';
import { fieldsFromSchema, formatValue, parseInput, validateParams, validateValue } from './schema-form.js';

// The JSON Schema zod 4 publishes for z.object({ ... }) with io: 'input'.
const schema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  properties: {
    bitrateKbps: { type: 'integer', minimum: 64, maximum: 50000, default: 2000, description: 'Target bitrate' },
    preset: { type: 'string', enum: ['ultrafast', 'veryfast', 'medium'], default: 'veryfast' },
    passphrase: { type: 'string', minLength: 10, secret: true, writeOnly: true },
    host: { type: 'string' },
    live: { type: 'boolean', default: true },
    fps: { anyOf: [{ type: 'number', exclusiveMinimum: 0 }, { type: 'null' }] },
    count: { type: 'integer', minimum: -9007199254740991, maximum: 9007199254740991 },
    caps: { type: 'array', items: { type: 'string' } },
  },
  required: ['host'],
  additionalProperties: false,
};

describe('JSON Schema → form fields', () => {
  const fields = fieldsFromSchema(schema, ['passphrase']);
  const field = (name: string) => fields.find((candidate) => candidate.name === name)!;

  it('makes one field per param with the right kind: enum → select, secret → masked, objects → json', () => {
    expect(fields.map((f) => [f.name, f.kind])).toEqual([
      ['bitrateKbps', 'integer'],
      ['preset', 'select'],
      ['passphrase', 'secret'],
      ['host', 'string'],
      ['live', 'boolean'],
      ['fps', 'number'],
      ['count', 'integer'],
      ['caps', 'json'],
    ]);
    expect(field('preset').options).toEqual(['ultrafast', 'veryfast', 'medium']);
    expect(field('bitrateKbps')).toMatchObject({ label: 'Bitrate kbps', minimum: 64, maximum: 50000, defaultValue: 2000, description: 'Target bitrate', required: false });
    expect(field('host').required).toBe(true);
    expect(field('fps').nullable).toBe(true);
  });

  it('ignores the safe-integer bounds zod adds to every int', () => {
    expect(field('count').minimum).toBeUndefined();
    expect(field('count').maximum).toBeUndefined();
  });

  it('names the param and the bound when a number is out of range', () => {
    expect(validateValue(field('bitrateKbps'), 10)).toBe('bitrateKbps: must be at least 64');
    expect(validateValue(field('bitrateKbps'), 60000)).toBe('bitrateKbps: must be at most 50000');
    expect(validateValue(field('bitrateKbps'), 100.5)).toBe('bitrateKbps: must be a whole number');
    expect(validateValue(field('bitrateKbps'), 3000)).toBeUndefined();
    expect(validateValue(field('fps'), 0)).toBe('fps: must be more than 0');
  });

  it('parses typed text into values, and an empty input into "not set"', () => {
    expect(parseInput(field('bitrateKbps'), '2500')).toEqual({ ok: true, value: 2500 });
    expect(parseInput(field('bitrateKbps'), 'abc')).toEqual({ ok: false, error: 'bitrateKbps: "abc" is not a number' });
    expect(parseInput(field('bitrateKbps'), '')).toEqual({ ok: true, value: undefined });
    expect(parseInput(field('preset'), 'medium')).toEqual({ ok: true, value: 'medium' });
    expect(parseInput(field('caps'), '["a"]')).toEqual({ ok: true, value: ['a'] });
    expect(parseInput(field('caps'), '[').ok).toBe(false);
    expect(formatValue(field('caps'), ['a'])).toBe('["a"]');
  });

  it('reports a missing required param and a too-short secret', () => {
    const problems = validateParams(fields, { passphrase: 'short' });
    expect(problems.get('host')).toBe('host: required');
    expect(problems.get('passphrase')).toBe('passphrase: must be at least 10 characters');
    expect(problems.has('bitrateKbps')).toBe(false);
  });
});
