// create-rivulet-plugin: the Rivulet plugin template, shared by this CLI and the Nx generator.
export { pluginNames, PluginNameError, type PluginNames } from './names.js';
export { renderPlugin, templateValues, fill, templateDir, TemplateError, type PluginFile, type PluginLayout, type RenderOptions } from './template.js';
export { writePlugin, WriteError } from './write.js';
export { main, USAGE, type CliIo } from './cli.js';
export { CORE_VERSION, VERSIONS } from './versions.js';
