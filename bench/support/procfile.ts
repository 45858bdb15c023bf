/** What the Procfile says about starting an app, so benches and drills start it the same way. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The node flags the tree's Procfile gives this app (`workers: node --flag … apps/workers/dist/main.js`). */
export function procfileNodeArgs(tree: string, app: string): string[] {
  let text: string;
  try {
    text = readFileSync(join(tree, 'Procfile'), 'utf8');
  } catch {
    return [];
  }
  const line = text.split('\n').find((l) => l.startsWith(`${app}:`));
  const words = line?.slice(app.length + 1).trim().split(/\s+/) ?? [];
  return words[0] === 'node' ? words.slice(1).filter((w) => w.startsWith('--')) : [];
}
