/**
 * The per-call Redis hash split in two: the dispatch's own record of what it sent (managers shown,
 * closed, history delivered) and the adapter's scratch (its CrmCallState, under an "a." prefix so an
 * adapter can never overwrite what ordering depends on).
 */
import type { CrmCallState, RedisCallState } from '@callpipe/crm';

export interface SentRecord {
  shown: string[];
  closed: boolean;
  history: boolean;
}

export class CallRecordState {
  constructor(private readonly hash: RedisCallState) {}

  async sent(): Promise<SentRecord> {
    const all = await this.hash.all();
    let shown: string[] = [];
    try {
      shown = all['d.shown'] ? (JSON.parse(all['d.shown']) as string[]) : [];
    } catch {
      shown = [];
    }
    return { shown, closed: all['d.closed'] === '1', history: all['d.history'] === '1' };
  }

  async markShown(shown: readonly string[]): Promise<void> {
    await this.hash.set('d.shown', JSON.stringify(shown));
  }

  async markClosed(): Promise<void> {
    await this.hash.set('d.closed', '1');
  }

  async markHistory(): Promise<void> {
    await this.hash.set('d.history', '1');
  }

  /** The adapter's own view. */
  forAdapter(): CrmCallState {
    return {
      get: (key) => this.hash.get(`a.${key}`),
      set: (key, value) => this.hash.set(`a.${key}`, value),
    };
  }
}
