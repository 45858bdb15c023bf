import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (p: string) => fileURLToPath(new URL(`./${p}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the sources of the libs, not their builds.
    alias: {
      '@callpipe/config': src('libs/config'),
      '@callpipe/logging': src('libs/logging'),
      '@callpipe/db': src('libs/db'),
      '@callpipe/events': src('libs/events'),
      '@callpipe/queues': src('libs/queues'),
      '@callpipe/metrics': src('libs/metrics'),
      '@callpipe/correlation': src('libs/correlation'),
      '@callpipe/telegram': src('libs/telegram'),
      '@callpipe/config-cache': src('libs/configCache'),
      '@callpipe/call-facts': src('libs/callFacts'),
      '@callpipe/crm': src('libs/crm'),
      '@callpipe/ratelimit': src('libs/ratelimit'),
      '@callpipe/ami': src('libs/ami'),
      '@callpipe/migrations': src('db'),
    },
  },
  test: {
    include: ['libs/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'db/src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/support/globalSetup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 90_000,
  },
});
