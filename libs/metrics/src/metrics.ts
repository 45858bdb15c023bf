/**
 * Every Prometheus metric the system exports, defined once. Each process exposes the ones it
 * touches on GET /metrics (prom-client's default registry, plus process and Node.js metrics).
 */
import { Counter, Gauge, Histogram, collectDefaultMetrics, register } from 'prom-client';

let defaultsOn = false;
/** Process metrics (CPU, memory, event-loop lag, GC) with the service name as a label. */
export function enableDefaultMetrics(service: string): void {
  if (defaultsOn) return;
  defaultsOn = true;
  register.setDefaultLabels({ service });
  collectDefaultMetrics();
}

export const metrics = {
  /** Time from the request's arrival to the ack (or refusal) of an Asterisk event. */
  ingestAckSeconds: new Histogram({
    name: 'callpipe_ingest_ack_seconds',
    help: 'Time from an event request to its answer',
    labelNames: ['event', 'result'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
  }),
  /** Events by type and result: queued, spooled, invalid, unknown_token, unavailable, … */
  ingestEvents: new Counter({
    name: 'callpipe_ingest_events_total',
    help: 'Asterisk events received, by event type and result',
    labelNames: ['event', 'result'] as const,
  }),
  /** Jobs per queue and state, read from Redis when scraped. */
  queueJobs: new Gauge({
    name: 'callpipe_queue_jobs',
    help: 'Jobs in each queue by state (waiting, active, delayed, failed, …)',
    labelNames: ['queue', 'state'] as const,
  }),
  jobSeconds: new Histogram({
    name: 'callpipe_job_seconds',
    help: 'Job processing time per queue and outcome',
    labelNames: ['queue', 'result'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  }),
  cacheRequests: new Counter({
    name: 'callpipe_cache_requests_total',
    help: 'Config cache lookups by cache and result (hit, miss)',
    labelNames: ['cache', 'result'] as const,
  }),
  /** Integration configs failing their schema as last loaded (each is treated as disabled). */
  configInvalid: new Gauge({
    name: 'callpipe_config_invalid',
    help: 'Integration configs that fail their schema, as last loaded (treated as disabled)',
  }),
  telegramRequests: new Counter({
    name: 'callpipe_telegram_requests_total',
    help: 'Telegram Bot API calls by method and result (ok, 429, 400, 403, 5xx, network, …)',
    labelNames: ['method', 'result'] as const,
  }),
  /** What each chat's sync came to: how much of the syncs' work sends something (the rest finds the chat in line). */
  telegramChatSyncs: new Counter({
    name: 'callpipe_telegram_chat_syncs_total',
    help: 'Chats brought in line by Telegram syncs, by outcome (sent, unchanged, nothing-to-show, no-bot, deactivated, gave-up)',
    labelNames: ['outcome'] as const,
  }),
  /** Syncs handed back to the queue until their chat's send slot (Telegram's per-chat limits). */
  telegramSyncsDeferred: new Counter({
    name: 'callpipe_telegram_syncs_deferred_total',
    help: 'Telegram syncs moved back to the queue (delayed) until their chat\'s next send slot',
  }),
  crmRequests: new Counter({
    name: 'callpipe_crm_requests_total',
    help: 'CRM API calls by integration, operation and result',
    labelNames: ['integration', 'operation', 'result'] as const,
  }),
  /** 1 while the circuit of one enterprise's CRM is open or probing, 0 once closed. */
  crmBreakerOpen: new Gauge({
    name: 'callpipe_crm_breaker_open',
    help: 'CRM circuit breaker per enterprise and integration: 1 open or half-open (jobs held back), 0 closed',
    labelNames: ['enterprise', 'integration'] as const,
  }),
};

export { register };
