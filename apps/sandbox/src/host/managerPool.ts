/**
 * Which managers take the emulated host's next call. A manager talks in one call at a time (the 4-x
 * patterns put one in two calls on purpose), so each call gets three managers who are free for its
 * whole length — the longest idle first; when fewer are free, those free soonest. Without this the
 * demo's calls would share three extensions among a dozen calls at once, which no office does.
 */

/** The demo's managers: 150–152 have names in the demo seed; the others ring as bare extensions. */
export const DEMO_EXTENSIONS: readonly string[] = Array.from({ length: 20 }, (_, i) => String(150 + i));

export class ManagerPool {
  private readonly busyUntil = new Map<string, number>();

  constructor(private readonly extensions: readonly string[] = DEMO_EXTENSIONS) {
    if (new Set(extensions).size < 3) throw new RangeError('a manager pool needs at least three distinct extensions');
  }

  /** The three managers the next call gets (not yet held). */
  pick(): string[] {
    return [...this.extensions]
      .sort((a, b) => (this.busyUntil.get(a) ?? 0) - (this.busyUntil.get(b) ?? 0) || a.localeCompare(b))
      .slice(0, 3);
  }

  /** Marks managers busy until `until` (epoch ms). */
  hold(extensions: readonly string[], until: number): void {
    for (const e of extensions) this.busyUntil.set(e, Math.max(this.busyUntil.get(e) ?? 0, until));
  }

  /** How many of the managers are in a call at `now`. */
  busyAt(now: number): number {
    return [...this.busyUntil.values()].filter((t) => t > now).length;
  }
}
