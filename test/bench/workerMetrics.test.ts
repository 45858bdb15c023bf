import { describe, expect, it } from 'vitest';
import { countsBetween, countsOf } from '../../bench/pipeline/workerMetrics.js';

describe('the workers\' Telegram counters in the bench', () => {
  it('sums the chat syncs by outcome, the deferred syncs, and the Bot API calls by method (and apart those not ok) from Prometheus text, and differences two snapshots', () => {
    const text = [
      '# HELP callpipe_telegram_chat_syncs_total Chats brought in line',
      'callpipe_telegram_chat_syncs_total{outcome="sent",service="workers"} 12',
      'callpipe_telegram_chat_syncs_total{outcome="unchanged",service="workers"} 5',
      'callpipe_telegram_syncs_deferred_total{service="workers"} 3',
      'callpipe_telegram_requests_total{method="sendMessage",result="ok",service="workers"} 12',
      'callpipe_telegram_requests_total{method="sendMessage",result="429",service="workers"} 2',
      'callpipe_telegram_requests_total{method="deleteMessage",result="ok",service="workers"} 7',
      'callpipe_job_seconds_count{queue="telegram",result="completed"} 9',
    ].join('\n');
    const after = countsOf(text);
    expect(after).toEqual({ 'sync:sent': 12, 'sync:unchanged': 5, 'sync:deferred': 3, 'api:sendMessage': 14, 'api:sendMessage:429': 2, 'api:deleteMessage': 7 });
    expect(countsBetween({ 'sync:sent': 10, 'api:sendMessage': 14, 'api:sendMessage:429': 2 }, after)).toEqual({ 'sync:sent': 2, 'sync:unchanged': 5, 'sync:deferred': 3, 'api:deleteMessage': 7 });
  });
});
