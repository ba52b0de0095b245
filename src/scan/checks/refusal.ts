import type { HelloOutcome } from '../../probe/hello-exchange.ts';
import { protocolName } from '../../wire/registry/versions.ts';

/** A short human phrase for why a hello got no usable answer, kept in the facts for the report. */
export function describeRefusal(outcome: HelloOutcome, expectedVersion?: number): string {
  switch (outcome.kind) {
    case 'hello': {
      const got = protocolName(outcome.facts.version) ?? `0x${outcome.facts.version.toString(16)}`;
      return expectedVersion !== undefined && outcome.facts.version !== expectedVersion
        ? `server answered with ${got}`
        : 'server answered without the expected content';
    }
    case 'alert':
      return `alert ${outcome.alert.name}`;
    case 'not-tls':
      return 'not TLS';
    case 'malformed':
      return `malformed answer: ${outcome.error.message}`;
    case 'connect-failed':
      return outcome.error.message;
    default:
      return outcome.kind;
  }
}
