// @rivulet/core: the plugin API, the graph format and validator, the runtime and the catalogue.
export * from './plugin/port.js';
export * from './plugin/define.js';
export * from './plugin/secret.js';
export * from './errors.js';
export * from './graph/document.js';
export * from './graph/validate.js';
export * from './graph/parse.js';
export * from './graph/json-schema.js';
export * from './graph/secrets.js';
export * from './catalogue/catalogue.js';
export * from './catalogue/discovery.js';
export * from './runtime/events.js';
export * from './media.js';
export * from './runtime/runtime.js';
