// Follow-up probe outcomes built through the real codec, for the pure tests of the active
// vulnerability checks. Test-only (testdata/ is not built).
import { WiretightError } from '../../../errors.ts';
import type { FollowUpOutcome, Reaction, ServerFlight } from '../../../probe/followup-exchange.ts';
import { flightOf } from '../../../probe/testdata/flights.ts';
import { encodeAlert } from '../../../wire/alert.ts';
import { HANDSHAKE_TYPE, encodeHandshake } from '../../../wire/handshake.ts';
import { encodeHeartbeatMessage } from '../../../wire/heartbeat.ts';
import { CONTENT_TYPE, type TlsRecord } from '../../../wire/record.ts';
import type { ServerHello } from '../../../wire/server-hello.ts';
import type { Check, Job, JobOutcome } from '../../job.ts';

export { flightOf };

export function alertRecord(description: number, level: 1 | 2 = 2): TlsRecord {
  return { type: CONTENT_TYPE.alert, version: 0x0303, fragment: encodeAlert(level, description) };
}

/** A heartbeat response announcing `announced` payload bytes and carrying `carried`. */
export function heartbeatRecord(announced: number, carried: number, type = 2): TlsRecord {
  return {
    type: CONTENT_TYPE.heartbeat,
    version: 0x0303,
    fragment: encodeHeartbeatMessage({
      type,
      payloadLength: announced,
      payload: new Uint8Array(carried).fill(0x41),
      padding: carried >= announced ? new Uint8Array(16) : new Uint8Array(0),
    }),
  };
}

export function reaction(end: Reaction['end'], ...records: TlsRecord[]): Reaction {
  if (end !== 'malformed') return { records, end };
  return { records, end, error: new WiretightError('WT_ERR_WIRE_DECODE', 'record cut short') };
}

export function reacted(flight: ServerFlight, ...reactions: Reaction[]): FollowUpOutcome {
  return { kind: 'reacted', flight, reactions };
}

/** A TLS ≤ 1.2 flight whose ServerHello is `over`, with a CertificateRequest when asked. */
export function flightWith(over: Partial<ServerHello>, certificateRequest = false): ServerFlight {
  const flight = flightOf(over);
  if (!certificateRequest) return flight;
  const raw = encodeHandshake(HANDSHAKE_TYPE.certificate_request, Uint8Array.of(1, 1, 0, 0));
  const [hello, done] = flight.messages;
  const request = { type: HANDSHAKE_TYPE.certificate_request, body: raw.subarray(4), raw };
  return {
    ...flight,
    messages: [
      ...(hello === undefined ? [] : [hello]),
      request,
      ...(done === undefined ? [] : [done]),
    ],
  };
}

/** Drives a check with recorded answers and returns the jobs it planned, in order. */
export function driveCheck<J extends Job, F>(
  check: Check<J, F>,
  answer: (job: J, index: number) => JobOutcome<J>,
  maxJobs = 20,
): J[] {
  const jobs: J[] = [];
  for (let job = check.next(); job !== undefined; job = check.next()) {
    jobs.push(job);
    if (jobs.length > maxJobs) throw new RangeError('the check never stops');
    check.absorb(job, answer(job, jobs.length - 1));
  }
  return jobs;
}
