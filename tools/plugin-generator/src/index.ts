// @rivulet/tools: Nx generators for the Rivulet workspace.
export { pluginGenerator, PluginGeneratorError, type PluginGeneratorOptions } from './generators/plugin/generator.js';
