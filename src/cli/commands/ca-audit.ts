// The CA's audit trail: every issuance and revocation, whichever process made it (a `ca`
// command or `ca serve`), appended as one JSON line to DIR/audit.log (mode 0600), so the
// operator has one place to read who got which certificate. `ca serve` also writes the
// same lines to its stdout log.
import { join } from 'node:path';
import pino, { type DestinationStream, type Logger as PinoLogger } from 'pino';
import { CA_FILES } from '../../ca/index.ts';

export interface AuditLog {
  readonly logger: PinoLogger;
  close(): void;
}

/** Opens DIR/audit.log for appending; `alsoTo` receives every line too (the service's stdout). */
export function openAuditLog(dir: string, alsoTo?: DestinationStream): AuditLog {
  // Synchronous appends: a line is on disk before the command reports success, and a
  // crash loses none.
  const file = pino.destination({
    dest: join(dir, CA_FILES.audit),
    append: true,
    sync: true,
    mode: 0o600,
  });
  const streams =
    alsoTo === undefined ? [{ stream: file }] : [{ stream: file }, { stream: alsoTo }];
  const logger = pino({ base: { component: 'ca-audit' } }, pino.multistream(streams));
  return { logger, close: () => file.flushSync() };
}
