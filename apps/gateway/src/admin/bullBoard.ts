/** Bull Board at /admin/queues: every queue of the catalogue, behind the admin login. */
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { Router } from 'express';

export const BULL_BOARD_PATH = '/admin/queues';

export function bullBoardRouter(queueList: readonly Queue[]): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: queueList.map((q) => new BullMQAdapter(q)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'callpipe queues' } },
  });
  return serverAdapter.getRouter() as Router;
}
