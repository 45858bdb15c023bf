/** Entry point of `npm run partitions -- …` (see partitionsCli.ts). */
import { createInterface } from 'node:readline/promises';
import { loadConfig } from '@callpipe/config';
import { createDb, createPool } from '@callpipe/db';
import { runPartitionsCli } from './partitionsCli.js';

const config = loadConfig();
const db = createDb(createPool({ connectionString: config.databaseUrl, max: 4, applicationName: 'partitions-cli' }));
const code = await runPartitionsCli(process.argv.slice(2), db, {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  ask: async (question) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    try {
      return await rl.question(question);
    } finally {
      rl.close();
    }
  },
});
await db.destroy();
process.exit(code);
