/**
 * POST /dispatch/call-event, the old services' way into the integrations: { token, uniqueId,
 * event_type, raw, record_url? }. The event is queued on `events` exactly as ingest queues it
 * (same payload, same content key, same dedup window), so it flows through the pipeline's fan-out;
 * no CRM is called inside the request. 202 queued, 200 already queued (a resend), 400 naming the
 * field, 403 unknown token, 503 Redis did not take it.
 */
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { validateDispatchBody, type ConfigCache } from '@callpipe/config-cache';
import type { Logger } from '@callpipe/logging';
import { newEventJob, type Producers } from '@callpipe/queues';
import { callEventOf } from './callEvent.js';
import { fail, sendJson } from './respond.js';

export interface DispatchDeps {
  cache: ConfigCache;
  producers: Producers;
  dedupWindowMs: number;
  log: Logger;
  enqueueTimeoutMs: number;
}

function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer from Redis within ${ms} ms`)), ms); });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export function dispatchRoute(d: DispatchDeps, auth: RequestHandler): Router {
  const router = Router();
  const body = express.json({ limit: '256kb', type: () => true });

  router.post('/dispatch/call-event', auth, body, async (req: Request, res: Response) => {
    const checked = validateDispatchBody(req.body);
    if (!checked.ok) return fail(res, 400, 'invalid_body', checked.error.message, checked.error.field);
    const call = callEventOf(checked.body);
    if (!call.ok) return fail(res, 400, 'invalid_body', call.error.message, call.error.field);
    const found = await d.cache.lookupToken(checked.body.token);
    if (!found) return fail(res, 403, 'unknown_token', 'token is not the host token of an active enterprise');

    const job = newEventJob(checked.body.event_type, call.event, found.entry.number, 'live');
    const log = d.log.child({ enterprise: job.enterprise, callId: checked.body.uniqueId, eventType: job.eventType });
    try {
      const added = await within(d.producers.add('events', job.eventType, job, { deduplication: { id: job.eventKey, ttl: d.dedupWindowMs } }), d.enqueueTimeoutMs);
      const jobId = String(added.id);
      const queue = d.producers.queue('events');
      // A resend within the window returns the earlier job's id; its stored seq tells them apart.
      const stored = await within(queue.getJob(jobId), d.enqueueTimeoutMs);
      const duplicate = stored?.data.seq !== job.seq;
      const state = stored ? await within(queue.getJobState(jobId), d.enqueueTimeoutMs) : 'removed';
      log.info({ jobId, duplicate, state }, duplicate ? 'dispatched event already queued' : 'dispatched event queued');
      sendJson(res, duplicate ? 200 : 202, {
        status: duplicate ? 'duplicate' : 'queued', enterprise_number: job.enterprise, job_id: jobId, state, event_key: job.eventKey,
      });
    } catch (err) {
      log.warn({ err }, 'dispatched event not queued: Redis did not take it');
      fail(res, 503, 'unavailable', 'the event could not be queued; retry');
    }
  });

  return router;
}
