import { describe, expect, it } from 'vitest';
import { pluginNames, PluginNameError } from './names.js';

describe('pluginNames', () => {
  it('turns a short name into a rivulet-plugin- package with a title', () => {
    expect(pluginNames('acme-scale')).toEqual({ name: 'acme-scale', packageName: 'rivulet-plugin-acme-scale', title: 'Acme scale' });
  });

  it('keeps a package name as typed and takes the node prefix from it', () => {
    expect(pluginNames('@acme/rivulet-plugin-scale')).toMatchObject({ name: 'scale', packageName: '@acme/rivulet-plugin-scale' });
    expect(pluginNames('rivulet-plugin-lights')).toMatchObject({ name: 'lights', packageName: 'rivulet-plugin-lights' });
    expect(pluginNames('@rivulet/plugin-osc')).toMatchObject({ name: 'osc', packageName: '@rivulet/plugin-osc' });
  });

  it('uses the given prefix or package name', () => {
    expect(pluginNames('osc', { packagePrefix: '@rivulet/plugin-' }).packageName).toBe('@rivulet/plugin-osc');
    expect(pluginNames('osc', { packageName: '@me/osc-nodes' }).packageName).toBe('@me/osc-nodes');
  });

  it.each(['', 'Acme', '1abc', 'a b', 'a--b', 'a_b', '-a', 'a/b', 'x'.repeat(51)])('refuses %j with a message saying what is allowed', (bad) => {
    expect(() => pluginNames(bad)).toThrow(PluginNameError);
    expect(() => pluginNames(bad)).toThrow(/lowercase letters, digits and single dashes/);
  });

  it('refuses an invalid package name', () => {
    expect(() => pluginNames('osc', { packageName: 'Bad Name' })).toThrow(/not a valid npm package name/);
  });
});
