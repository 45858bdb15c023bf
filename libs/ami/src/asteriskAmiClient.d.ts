/**
 * Types for the parts of asterisk-ami-client 1.1.5 (plain JavaScript, no types of its own) that
 * libs/ami uses: connect (Login included), promise actions correlated by ActionID, events by name.
 */
declare module 'asterisk-ami-client' {
  import { EventEmitter } from 'node:events';

  /** One AMI message as the client parses it: header names as Asterisk spells them. */
  export type AmiMessage = Record<string, string | undefined>;

  export interface AmiClientOptions {
    reconnect?: boolean;
    maxAttemptsCount?: number;
    attemptsDelay?: number;
    keepAlive?: boolean;
    keepAliveDelay?: number;
    emitEventsByTypes?: boolean;
    eventTypeToLowerCase?: boolean;
    emitResponsesById?: boolean;
    dontDeleteSpecActionId?: boolean;
  }

  export default class AmiClient extends EventEmitter {
    constructor(options?: AmiClientOptions);
    /** Opens the socket and logs in; rejects with an AmiAuthError when Asterisk refuses the login. */
    connect(user: string, secret: string, options: { host: string; port: number; signal?: AbortSignal }): Promise<unknown>;
    action(message: Record<string, string>, promisable: true): Promise<AmiMessage>;
    action(message: Record<string, string>, promisable?: false): AmiClient;
    disconnect(): AmiClient;
    readonly isConnected: boolean | null;
  }
}
