/** The whole sandbox server (as its main starts it: the Bot API ahead of express) on a free port with an idle emulated host (it posts no calls of its own), for tests of its stand-ins. */
import { EmulatedHost } from '../../apps/sandbox/src/host/emulatedHost.js';
import { sandboxHandler, type SandboxParts } from '../../apps/sandbox/src/sandbox.js';
import { TelegramSandbox } from '../../apps/sandbox/src/telegram/index.js';
import { listen } from './listen.js';
import { testLogger } from './testEnv.js';

/** Stand-ins not given are fresh ones. */
export function serveSandbox(parts: Partial<Omit<SandboxParts, 'host'>> = {}): ReturnType<typeof listen> {
  const host = new EmulatedHost({ ingestUrl: 'http://127.0.0.1:9', token: 't', callsPerMinute: 0, speed: 1, log: testLogger() });
  return listen(sandboxHandler({ ...parts, host, telegram: parts.telegram ?? new TelegramSandbox() }));
}
