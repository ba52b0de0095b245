/**
 * Account contacts (RFC 8555 §7.3): mailto: URLs only, one plain address each, no header
 * fields, a handful per account.
 */
import { LIMITS } from './limits.ts';
import { AcmeProblem } from './problems.ts';

// One address, a dotted domain, no spaces, commas or angle brackets (no lists, no display names).
const ADDRESS = /^[^\s@,<>()[\]\\;:"?]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$/;

export function parseContacts(raw: unknown): string[] {
  if (!Array.isArray(raw)) throw new AcmeProblem('malformed', 'contact must be an array of URLs');
  if (raw.length > LIMITS.contacts) {
    throw new AcmeProblem('invalidContact', `at most ${LIMITS.contacts} contacts`);
  }
  return raw.map((item: unknown) => {
    if (typeof item !== 'string') throw new AcmeProblem('invalidContact', 'a contact is a string');
    const shown = item.slice(0, 80);
    if (!item.toLowerCase().startsWith('mailto:')) {
      throw new AcmeProblem(
        'unsupportedContact',
        `"${shown}": only mailto: contacts are supported`,
      );
    }
    const address = item.slice('mailto:'.length);
    if (item.length > LIMITS.contactLength || !ADDRESS.test(address)) {
      throw new AcmeProblem('invalidContact', `"${shown}" is not one plain e-mail address`);
    }
    return `mailto:${address}`;
  });
}
