import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configTable, vars } from './index.js';

describe('configuration table', () => {
  it('names every variable once', () => {
    const table = configTable();
    for (const v of Object.values(vars)) expect(table.split(`\`${v.name}\``).length - 1).toBe(1);
  });

  it('is the one in README.md (regenerate with npm run config:doc)', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(configTable());
  });
});
