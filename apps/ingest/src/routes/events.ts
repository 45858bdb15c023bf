/** POST /{event} and /recovery/{event}: check, make durable, ack. Nothing else happens on this path. */
import { Router, type Request, type Response } from 'express';
import {
  ACK_BODY, isEventType, primaryId, validateEvent,
  type EventSource, type IngestErrorBody,
} from '@callpipe/events';
import type { Logger } from '@callpipe/logging';
import { newEventJob } from '@callpipe/queues';
import type { DurableEnqueue } from '../enqueue/durableEnqueue.js';
import { recordAnswer } from './ackMetrics.js';
import type { TokenCache } from '../tokens/tokenCache.js';

// The ack is the same bytes every time: serialise once.
const ACK_JSON = JSON.stringify(ACK_BODY);
const ACK_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(ACK_JSON)) };

export interface EventRouteDeps {
  enqueue: DurableEnqueue;
  tokens: TokenCache;
  log: Logger;
}

function fail(req: Request, res: Response, status: number, body: Omit<IngestErrorBody, 'status'>): void {
  recordAnswer(req, res, body.error);
  res.status(status).json({ status: 'error', ...body } satisfies IngestErrorBody);
}

export function eventRoutes({ enqueue, tokens, log }: EventRouteDeps): Router {
  const router = Router();

  const handle = (source: EventSource) => async (req: Request, res: Response): Promise<void> => {
    const type = String(req.params.event);
    if (!isEventType(type)) {
      fail(req, res, 404, { error: 'unknown_event', message: `no such event: ${type}` });
      return;
    }
    const result = validateEvent(type, req.body);
    if (!result.ok) {
      log.warn({ eventType: type, field: result.error.field }, `event rejected: ${result.error.message}`);
      fail(req, res, 400, { error: 'invalid_event', field: result.error.field, message: result.error.message });
      return;
    }
    const event = result.event;
    // 403 only against the set the workers published; before that (or while it is lost) a retryable 503.
    const verdict = tokens.check(event.Token);
    if (verdict === 'not-loaded') {
      fail(req, res, 503, { error: 'unavailable', message: 'token set not loaded yet; retry shortly' });
      return;
    }
    if (verdict === 'unknown') {
      log.warn({ eventType: type, callId: primaryId(event) }, 'event rejected: unknown token');
      fail(req, res, 403, { error: 'unknown_token', message: 'Token does not belong to an active enterprise' });
      return;
    }
    const { enterprise } = verdict;
    const job = newEventJob(type, event, enterprise, source);
    try {
      const durability = await enqueue.accept(job);
      if (log.isLevelEnabled('debug')) {
        log.debug({ enterprise, callId: primaryId(event), eventType: type, source, durability }, 'event accepted');
      }
      recordAnswer(req, res, durability);
      res.writeHead(200, ACK_HEADERS).end(ACK_JSON);
    } catch {
      fail(req, res, 503, { error: 'unavailable', message: 'event could not be stored; retry' });
    }
  };

  router.post('/recovery/:event', handle('recovery'));
  router.post('/:event', handle('live'));
  return router;
}
