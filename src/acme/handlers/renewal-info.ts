/**
 * ACME Renewal Information (RFC 9773 §4): GET renewal-info/<certID>, unauthenticated,
 * answers the window in which to renew and when to ask again (Retry-After).
 */
import { certId, parseCertId, renewalRetryAfterSeconds, renewalWindow } from '../certificates.ts';
import { AcmeProblem } from '../problems.ts';
import { type Handler, json } from './types.ts';

export const renewalInfo: Handler = async ({ ctx, params }) => {
  const raw = params['certId'] ?? '';
  const parsed = parseCertId(raw);
  if (parsed === undefined) throw new AcmeProblem('malformed', 'the path does not end in a certID');
  const record = await ctx.ca.get(parsed.serial);
  if (record === undefined || certId(record.der) !== raw) {
    throw new AcmeProblem('malformed', 'no certificate has this certID', { status: 404 });
  }
  const window = renewalWindow(record, ctx.now());
  return json(
    200,
    { suggestedWindow: { start: window.start.toISOString(), end: window.end.toISOString() } },
    { 'retry-after': String(renewalRetryAfterSeconds(record)) },
  );
};
