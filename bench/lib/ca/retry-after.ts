// How long an ACME client waits before polling again (RFC 8555 §7.5.1, RFC 9110 §10.2.3):
// the server's Retry-After when it sends one, else the client's own interval. The wait is
// clamped, so a hostile or confused server cannot park the bench for an hour.

/** The longest wait honoured, whatever the server asks. */
export const MAX_RETRY_AFTER_MS = 30_000;

/** `Sun, 06 Nov 1994 08:49:37 GMT`, the date form servers send (RFC 9110 §5.6.7). */
const IMF_FIXDATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/**
 * Milliseconds to wait: Retry-After as delta-seconds or an IMF-fixdate (relative to `now`),
 * clamped to [0, MAX_RETRY_AFTER_MS]; `fallbackMs` when absent or unreadable.
 */
export function retryAfterMs(
  header: string | undefined,
  fallbackMs: number,
  now: number = Date.now(),
): number {
  if (header === undefined) return fallbackMs;
  const text = header.trim();
  let ms: number;
  if (/^\d{1,10}$/.test(text)) ms = Number(text) * 1000;
  else if (IMF_FIXDATE.test(text)) ms = Date.parse(text) - now;
  else return fallbackMs;
  if (Number.isNaN(ms)) return fallbackMs;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}
