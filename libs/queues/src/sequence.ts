/** A strictly increasing per-process sequence: microseconds since the epoch, bumped on ties. */
let last = 0;

export function nextSeq(): number {
  const now = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  last = now > last ? now : last + 1;
  return last;
}
