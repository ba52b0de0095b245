// Distinguished names and GeneralNames as the CA writes them.
import { directoryString, implicitPrimitive, oid, sequence, set } from './der-writer.ts';
import { ipBytes } from './identifiers.ts';
import type { Identifier } from './types.ts';

const ATTRIBUTE = { organization: '2.5.4.10', commonName: '2.5.4.3' } as const;

/** RFC 5280's upper bounds (ub-common-name, ub-organization-name). */
export const MAX_NAME_ATTRIBUTE = 64;

export interface DistinguishedName {
  readonly organization?: string;
  readonly commonName?: string;
}

/** O then CN, one attribute per RDN; an empty SEQUENCE when both are absent (SAN-only). */
export function encodeName(name: DistinguishedName): Uint8Array {
  const rdns: Uint8Array[] = [];
  for (const [key, type] of Object.entries(ATTRIBUTE) as [keyof DistinguishedName, string][]) {
    const value = name[key];
    if (value === undefined) continue;
    if (value.length === 0 || value.length > MAX_NAME_ATTRIBUTE) {
      throw new RangeError(`${key} must have 1 to ${MAX_NAME_ATTRIBUTE} characters`);
    }
    rdns.push(set(sequence(oid(type), directoryString(value))));
  }
  return sequence(...rdns);
}

/** GeneralName CHOICE tags: dNSName [2], uniformResourceIdentifier [6], iPAddress [7]. */
const GENERAL_NAME_TAG = { dns: 2, uri: 6, ip: 7 } as const;

export function encodeGeneralName(id: Identifier): Uint8Array {
  const tag = GENERAL_NAME_TAG[id.type];
  // dNSName and URI are IA5Strings under an implicit tag; identifiers are ASCII already.
  const contents = id.type === 'ip' ? ipBytes(id.value) : Buffer.from(id.value, 'latin1');
  return implicitPrimitive(tag, contents);
}

/** GeneralNames: the value of a subjectAltName extension. */
export function encodeGeneralNames(ids: readonly Identifier[]): Uint8Array {
  return sequence(...ids.map(encodeGeneralName));
}
