// Copies bytes both ways between the two legs of a tunnelled connection. End of stream on
// one leg becomes a half-close on the other (the peer can still answer); an error or an
// idle period on either leg ends both. The outcome is data for the connection log line.
import type { Duplex } from 'node:stream';

export const CLOSE_REASONS = [
  'closed-by-client',
  'closed-by-target',
  'client-error',
  'target-error',
  'idle-timeout',
  'drain-timeout',
] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

export interface ForwardOutcome {
  readonly reason: CloseReason;
  /** Bytes read from the client leg and written to the target leg. */
  readonly bytesFromClient: number;
  /** Bytes read from the target leg and written to the client leg. */
  readonly bytesToClient: number;
  /** The socket error that ended the connection, when one did. */
  readonly error?: string;
}

export interface Forwarding {
  /** Ends both legs now (drain deadline, shutdown). */
  abort(reason: CloseReason): void;
}

/** A socket leg: a net.Socket or a tls.TLSSocket. */
type Leg = Duplex & { setTimeout(ms: number): unknown };

export function forward(
  client: Leg,
  target: Leg,
  idleTimeoutMs: number,
  onDone: (outcome: ForwardOutcome) => void,
): Forwarding {
  let bytesFromClient = 0;
  let bytesToClient = 0;
  let firstEnd: CloseReason | undefined;
  let closed = 0;
  let done = false;
  const finish = (reason: CloseReason, error?: Error): void => {
    if (done) return;
    done = true;
    client.destroy();
    target.destroy();
    const code = (error as NodeJS.ErrnoException | undefined)?.code ?? error?.message;
    onDone({
      reason,
      bytesFromClient,
      bytesToClient,
      ...(code === undefined ? {} : { error: code }),
    });
  };
  client.on('data', (chunk: Buffer) => (bytesFromClient += chunk.length));
  target.on('data', (chunk: Buffer) => (bytesToClient += chunk.length));
  client.once('end', () => (firstEnd ??= 'closed-by-client'));
  target.once('end', () => (firstEnd ??= 'closed-by-target'));
  client.on('error', (err) => finish('client-error', err));
  target.on('error', (err) => finish('target-error', err));
  const onClose = (leg: CloseReason) => (): void => {
    closed += 1;
    // A leg that closed without an end of stream (destroyed under us) ends the other one.
    if (closed === 2 || firstEnd === undefined) finish(firstEnd ?? leg);
  };
  client.once('close', onClose('closed-by-client'));
  target.once('close', onClose('closed-by-target'));
  for (const leg of [client, target]) {
    leg.setTimeout(idleTimeoutMs);
    leg.on('timeout', () => finish('idle-timeout'));
  }
  client.pipe(target);
  target.pipe(client);
  return { abort: (reason) => finish(reason) };
}
