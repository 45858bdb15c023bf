/** Ack latency and outcome per event request, for /metrics. */
import type { Request, Response } from 'express';
import { isEventType } from '@callpipe/events';
import { metrics } from '@callpipe/metrics';

export function markArrival(res: Response): void {
  res.locals.arrivedAt = performance.now();
}

/** Records one answer: the event type (or "other" for unknown paths) and the result. */
export function recordAnswer(req: Request, res: Response, result: string): void {
  const name = req.path.split('/').pop() ?? '';
  const event = isEventType(name) ? name : 'other';
  metrics.ingestEvents.inc({ event, result });
  const arrivedAt = res.locals.arrivedAt as number | undefined;
  if (arrivedAt !== undefined) metrics.ingestAckSeconds.observe({ event, result }, (performance.now() - arrivedAt) / 1000);
}
