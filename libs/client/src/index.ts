// @rivulet/client: a typed client for the Rivulet runner's control API, for browsers and Node.
export * from './api-types.js';
export * from './errors.js';
export * from './client.js';
export * from './events.js';
export * from './websocket.js';
export * from './webrtc/index.js';
export * from './signalling/index.js';
