// Scripted STARTTLS servers for the dialogue tests: each script is the server's side of
// the cleartext dialogue, step by step; after the last step the server echoes whatever
// comes next with an `ECHO:` prefix, standing in for the TLS handshake. Test-only.
import type { Socket } from 'node:net';
import type { TestContext } from 'node:test';
import type { Endpoint } from '../../connection.ts';
import { serve } from '../../testdata/peer.ts';

/** One step: wait for the client's `client` (a pattern, or a byte count), then send `server`. */
export interface Step {
  readonly client?: RegExp | number;
  readonly server?: string | Uint8Array;
}

export const ECHO = 'ECHO:';

const toBytes = (data: string | Uint8Array): Buffer =>
  typeof data === 'string' ? Buffer.from(data, 'latin1') : Buffer.from(data);

/** Runs `steps` on every connection; `received` collects what each client sent per step. */
export function scriptedServer(
  t: TestContext,
  steps: readonly Step[],
): Promise<Endpoint & { received: Buffer[] }> {
  const received: Buffer[] = [];
  return serve(t, (socket) => runScript(socket, steps, received)).then((endpoint) =>
    Object.assign(endpoint, { received }),
  );
}

function runScript(socket: Socket, steps: readonly Step[], received: Buffer[]): void {
  let buffer = Buffer.alloc(0);
  let at = 0;
  const advance = (): void => {
    for (;;) {
      const step = steps[at];
      if (step === undefined) {
        if (buffer.length > 0) {
          socket.write(Buffer.concat([Buffer.from(ECHO), buffer]));
          buffer = Buffer.alloc(0);
        }
        return;
      }
      if (step.client !== undefined) {
        const taken = consumed(step.client, buffer);
        if (taken === undefined) return;
        received.push(buffer.subarray(0, taken));
        buffer = buffer.subarray(taken);
      }
      if (step.server !== undefined) socket.write(toBytes(step.server));
      at++;
    }
  };
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    advance();
  });
  advance();
}

/** How many buffered bytes the client's message takes, once it is all there. */
function consumed(client: RegExp | number, buffer: Buffer): number | undefined {
  if (typeof client === 'number') return buffer.length >= client ? client : undefined;
  const m = client.exec(buffer.toString('latin1'));
  return m === null || m.index !== 0 ? undefined : m[0].length;
}
