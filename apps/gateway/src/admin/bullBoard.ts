/**
 * Bull Board at /admin/queues: every queue of the catalogue, behind the admin login. Job data and
 * return values are shown with secrets masked as the config API masks them (the host Token of an
 * event, api keys, bot tokens: first characters and length), never in full.
 */
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { Router } from 'express';
import { maskSecrets } from '@callpipe/config-cache';

export const BULL_BOARD_PATH = '/admin/queues';

/** What Bull Board may show of a job's data: masked; data too deep to walk is not shown at all. */
export function showable(data: unknown): unknown {
  try {
    return maskSecrets(data);
  } catch {
    return '[job data not shown: nested too deep to mask]';
  }
}

export function bullBoardRouter(queueList: readonly Queue[]): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: queueList.map((q) => {
      const adapter = new BullMQAdapter(q);
      adapter.setFormatter('data', showable);
      adapter.setFormatter('returnValue', showable);
      return adapter;
    }),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'callpipe queues' } },
  });
  return serverAdapter.getRouter() as Router;
}
