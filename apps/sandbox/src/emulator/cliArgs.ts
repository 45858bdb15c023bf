/** Command-line parsing for the emulator CLI (pure: argv in, a checked command or a CliError out). */
import { parseArgs } from 'node:util';
import { MAX_CALLS_PER_SEED } from './generateCall.js';
import { PATTERN_IDS } from './patterns/index.js';

export const DEFAULT_URL = 'http://127.0.0.1:8000';

export const USAGE = `Usage: emulate <command> [options]

Commands:
  patterns                 Print the call-pattern catalogue with statistics counted from generated events.
  send                     Generate calls and post their events to an ingest service.
  replay                   Re-send the failed events of a host's failure log to /recovery/{event}.

send options:
  --url <url>              Ingest base URL (default ${DEFAULT_URL})
  --token <token>          Host token put in every event (required)
  --calls <n>              Number of calls (default 10, at most ${MAX_CALLS_PER_SEED})
  --rate <n>               New calls per second (default 5)
  --concurrency <n>        Calls in flight at most (default 20)
  --pattern <ids>          Comma-separated pattern ids, used in turn (e.g. 1-1,2-18)
  --all                    Use every pattern in turn (the default when --pattern is not given)
  --speed <x>              Time compression: 10 plays calls 10x faster (default 1)
  --seed <n>               Seed for ids, numbers and timings (default: derived from the clock, printed)
  --linkedid               Include Linkedid in events that carry a UniqueId
  --max-seconds <n>        Stop sending after this long (default 600)
  --timeout-ms <n>         Per-request timeout (default 5000)

replay options:
  --url <url>              Ingest base URL (default ${DEFAULT_URL})
  --file <path>            Failure log: date|event|UniqueId|status|body|time per line (required)
  --timeout-ms <n>         Per-request timeout (default 5000)

  -h, --help               Show this help
`;

export type CliCommand =
  | { kind: 'help' }
  | { kind: 'patterns' }
  | {
    kind: 'send'; url: string; token: string; calls: number; rate: number; concurrency: number;
    patterns: string[]; speed: number; seed: number | undefined; linkedid: boolean; maxSeconds: number; timeoutMs: number;
  }
  | { kind: 'replay'; url: string; file: string; timeoutMs: number };

export class CliError extends Error {}

function number(name: string, raw: string | undefined, fallback: number, check: { min: number; max: number; integer?: boolean }): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || (check.integer && !Number.isInteger(value))) {
    throw new CliError(`--${name} must be ${check.integer ? 'an integer' : 'a number'}, got "${raw}"`);
  }
  if (value < check.min || value > check.max) throw new CliError(`--${name} must be between ${check.min} and ${check.max}, got ${raw}`);
  return value;
}

function httpUrl(raw: string | undefined): string {
  const value = raw ?? DEFAULT_URL;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError(`--url is not a URL: "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError('--url must be http:// or https://');
  return value;
}

function patternList(pattern: string | undefined, all: boolean): string[] {
  if (pattern !== undefined && all) throw new CliError('use either --pattern or --all, not both');
  if (pattern === undefined) return [...PATTERN_IDS];
  const ids = pattern.split(',').map((p) => p.trim()).filter((p) => p !== '');
  if (ids.length === 0) throw new CliError('--pattern needs at least one pattern id');
  const unknown = ids.filter((id) => !PATTERN_IDS.includes(id));
  if (unknown.length > 0) throw new CliError(`unknown pattern(s): ${unknown.join(', ')} (see "emulate patterns")`);
  return ids;
}

/** parseArgs throws plain errors for unknown or malformed options; they become usage errors. */
function guard<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  }
}

const help = { type: 'boolean', short: 'h' } as const;

export function parseCli(argv: readonly string[]): CliCommand {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') return { kind: 'help' };

  if (command === 'patterns') {
    const { values } = guard(() => parseArgs({ args: rest, options: { help }, strict: true }));
    return values.help ? { kind: 'help' } : { kind: 'patterns' };
  }

  if (command === 'send') {
    const { values: v } = guard(() => parseArgs({
      args: rest,
      strict: true,
      options: {
        help, url: { type: 'string' }, token: { type: 'string' }, calls: { type: 'string' }, rate: { type: 'string' },
        concurrency: { type: 'string' }, pattern: { type: 'string' }, all: { type: 'boolean' }, speed: { type: 'string' },
        seed: { type: 'string' }, linkedid: { type: 'boolean' }, 'max-seconds': { type: 'string' }, 'timeout-ms': { type: 'string' },
      },
    }));
    if (v.help) return { kind: 'help' };
    if (!v.token) throw new CliError('--token is required');
    return {
      kind: 'send',
      url: httpUrl(v.url),
      token: v.token,
      calls: number('calls', v.calls, 10, { min: 1, max: MAX_CALLS_PER_SEED, integer: true }),
      rate: number('rate', v.rate, 5, { min: 0.01, max: 1000 }),
      concurrency: number('concurrency', v.concurrency, 20, { min: 1, max: 1000, integer: true }),
      patterns: patternList(v.pattern, v.all ?? false),
      speed: number('speed', v.speed, 1, { min: 0.01, max: 10_000 }),
      seed: v.seed === undefined ? undefined : number('seed', v.seed, 0, { min: 0, max: 2 ** 31 - 1, integer: true }),
      linkedid: v.linkedid ?? false,
      maxSeconds: number('max-seconds', v['max-seconds'], 600, { min: 1, max: 86_400 }),
      timeoutMs: number('timeout-ms', v['timeout-ms'], 5_000, { min: 1, max: 600_000, integer: true }),
    };
  }

  if (command === 'replay') {
    const { values: v } = guard(() => parseArgs({
      args: rest,
      strict: true,
      options: { help, url: { type: 'string' }, file: { type: 'string' }, 'timeout-ms': { type: 'string' } },
    }));
    if (v.help) return { kind: 'help' };
    if (!v.file) throw new CliError('--file is required');
    return {
      kind: 'replay', url: httpUrl(v.url), file: v.file,
      timeoutMs: number('timeout-ms', v['timeout-ms'], 5_000, { min: 1, max: 600_000, integer: true }),
    };
  }

  throw new CliError(`unknown command "${command}"`);
}
