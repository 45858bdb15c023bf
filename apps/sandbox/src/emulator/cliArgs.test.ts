import { describe, expect, it } from 'vitest';
import { CliError, DEFAULT_URL, parseCli } from './cliArgs.js';
import { PATTERN_IDS } from './patterns/index.js';

describe('parseCli', () => {
  it('help and patterns', () => {
    expect(parseCli([])).toEqual({ kind: 'help' });
    expect(parseCli(['--help'])).toEqual({ kind: 'help' });
    expect(parseCli(['send', '-h'])).toEqual({ kind: 'help' });
    expect(parseCli(['patterns'])).toEqual({ kind: 'patterns' });
  });

  it('send with every option', () => {
    expect(parseCli([
      'send', '--url', 'http://127.0.0.1:8000', '--token', '375293332255', '--calls', '50', '--rate', '5', '--concurrency', '20',
      '--pattern', '1-1,2-18', '--speed', '10', '--seed', '42', '--linkedid', '--max-seconds', '30', '--timeout-ms', '2000',
    ])).toEqual({
      kind: 'send', url: 'http://127.0.0.1:8000', token: '375293332255', calls: 50, rate: 5, concurrency: 20,
      patterns: ['1-1', '2-18'], speed: 10, seed: 42, linkedid: true, maxSeconds: 30, timeoutMs: 2000,
    });
  });

  it('send defaults: all patterns, local URL, a seed left to the clock', () => {
    expect(parseCli(['send', '--token', 't'])).toMatchObject({
      url: DEFAULT_URL, calls: 10, rate: 5, concurrency: 20, speed: 1, seed: undefined, linkedid: false, patterns: [...PATTERN_IDS],
    });
    expect(parseCli(['send', '--token', 't', '--all'])).toMatchObject({ patterns: [...PATTERN_IDS] });
  });

  it('replay', () => {
    expect(parseCli(['replay', '--file', 'host-failures.log'])).toEqual({ kind: 'replay', url: DEFAULT_URL, file: 'host-failures.log', timeoutMs: 5000 });
  });

  it.each([
    [['frobnicate'], /unknown command/],
    [['send'], /--token is required/],
    [['send', '--token', 't', '--calls', 'many'], /--calls must be an integer/],
    [['send', '--token', 't', '--calls', '0'], /--calls must be between/],
    [['send', '--token', 't', '--rate=-1'], /--rate must be between/],
    [['send', '--token', 't', '--rate', '-1'], /--rate/],
    [['send', '--token', 't', '--concurrency', '1.5'], /--concurrency must be an integer/],
    [['send', '--token', 't', '--pattern', '1-1,9-9'], /unknown pattern\(s\): 9-9/],
    [['send', '--token', 't', '--pattern', '1-1', '--all'], /either --pattern or --all/],
    [['send', '--token', 't', '--url', 'not a url'], /not a URL/],
    [['send', '--token', 't', '--url', 'ftp://host'], /http/],
    [['send', '--token', 't', '--bogus'], /bogus/],
    [['send', '--token', 't', 'extra'], /extra/],
    [['replay'], /--file is required/],
    [['patterns', '--calls', '3'], /calls/],
  ])('%j is refused', (argv, message) => {
    expect(() => parseCli(argv)).toThrow(CliError);
    expect(() => parseCli(argv)).toThrow(message);
  });
});
