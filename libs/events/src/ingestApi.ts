/** The ingest HTTP contract, shared by the ingest app and the clients that post to it (emulator, bench). */

/** The body of every 200: the old system's words, which hosts' scripts log. */
export const ACK_BODY = { status: 'ok', message: 'Event queued for processing' } as const;

export type IngestErrorCode =
  | 'malformed_json' | 'invalid_event' | 'unknown_event' | 'unknown_token' | 'body_too_large'
  | 'unavailable' | 'not_found' | 'bad_request' | 'internal';

export interface IngestErrorBody {
  status: 'error';
  error: IngestErrorCode;
  message: string;
  /** The failing field for 400s ("CallType", "Extensions.0", "(body)"). */
  field?: string;
}

/** Path of an event: `/dial`, or `/recovery/dial` for events replayed from a host's failure log. */
export function eventPath(type: string, recovery = false): string {
  return recovery ? `/recovery/${type}` : `/${type}`;
}
