/** The HTTP API's public pieces: the server a Monitor runs, its router, SSE hub and metrics. */
export { ApiServer, type ApiServerOptions } from './api-server.js';
export type { ApiBackend } from './backend.js';
export { ApiMetrics, type ApiMetricsOptions } from './metrics.js';
export {
  Router,
  type Handler,
  type Method,
  type RequestContext,
  type RouteMatch,
} from './router.js';
export { SseHub, type SseFilter, type SseHubOptions } from './sse.js';
export { problemOf, sendJson, sendProblem, type ApiProblem } from './http-json.js';
