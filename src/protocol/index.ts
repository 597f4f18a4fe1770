export * from './codes.js';
export * from './encode.js';
export * from './framing.js';
export * from './limits.js';
export * from './messages.js';
export * from './parse.js';
