export { createNodeHttpFetch } from './node-http.js';
export type { NodeHttpFetch, NodeHttpFetchOptions } from './node-http.js';
