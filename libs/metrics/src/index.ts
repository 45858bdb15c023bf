export { metrics, register, enableDefaultMetrics } from './metrics.js';
export { collectQueueDepths, type QueueLike } from './queueDepth.js';
export { writeMetrics } from './handler.js';
