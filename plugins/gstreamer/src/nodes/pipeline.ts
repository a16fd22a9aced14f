// gstreamer/pipeline: a gst-launch description for what the typed nodes do not cover.
import { port } from '@rivulet/core';
import { z } from 'zod';
import { defineGstNode } from '../gst/define.js';
import { GstBuildError } from '../gst/fragment.js';

/** Splits a description into argv tokens the way a shell would: whitespace outside double quotes. */
export function tokenizeDescription(description: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < description.length; i++) {
    const c = description[i]!;
    if (c === '\\' && i + 1 < description.length) {
      current += c + description[++i];
    } else if (c === '"') {
      quoted = !quoted;
      current += c;
    } else if (!quoted && /\s/.test(c)) {
      if (current) tokens.push(current);
      current = '';
    } else current += c;
  }
  if (quoted) throw new Error('unbalanced double quote');
  if (current) tokens.push(current);
  return tokens;
}

const NAME_TOKEN = /^name=("?)([A-Za-z_][A-Za-z0-9_-]*)\1$/;
const REF_TOKEN = /^([A-Za-z_][A-Za-z0-9_-]*)\.(\S*)$/;

const description = z
  .string()
  .min(1)
  .superRefine((value, ctx) => {
    try {
      if (!tokenizeDescription(value).length) ctx.addIssue({ code: 'custom', message: 'empty pipeline description' });
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
  });

export const pipeline = defineGstNode({
  type: 'gstreamer/pipeline',
  title: 'GStreamer pipeline',
  category: 'advanced',
  description: 'A gst-launch-1.0 description. Name the element that takes the input `in` and the one that feeds the output `out`.',
  params: z.object({ description }),
  inputs: { in: port('any') },
  outputs: { out: port('any') },
  elements: [],
  fragment: (p, nodeId) => {
    let tokens: string[];
    try {
      tokens = tokenizeDescription(p.description);
    } catch (error) {
      throw new GstBuildError('invalid-param', nodeId, `node ${nodeId}, param description: ${(error as Error).message}`, 'description');
    }
    // Prefix every name the description defines, so two pipeline nodes never collide.
    const defined = new Set(tokens.map((t) => NAME_TOKEN.exec(t)?.[2]).filter((n): n is string => n !== undefined));
    const rename = (name: string): string => `${nodeId}__${name}`;
    const out = tokens.map((token) => {
      const named = NAME_TOKEN.exec(token);
      if (named) return `name=${rename(named[2]!)}`;
      const ref = REF_TOKEN.exec(token);
      if (ref && defined.has(ref[1]!)) return `${rename(ref[1]!)}.${ref[2]}`;
      return token;
    });
    return {
      chain: [],
      raw: {
        tokens: out,
        names: [...defined].map(rename),
        ...(defined.has('in') ? { input: rename('in') } : {}),
        ...(defined.has('out') ? { output: rename('out') } : {}),
      },
    };
  },
});
