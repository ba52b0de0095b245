import { open } from 'node:fs/promises';
import { PolicyError } from './policy-error.ts';
import type { Policy } from './policy.ts';
import { validatePolicy } from './schema.ts';
import { MAX_POLICY_BYTES, parsePolicyYaml } from './yaml-source.ts';

export interface PolicyLoadOptions {
  /** Decides which suppressions have expired; the current time by default. */
  readonly now?: Date;
}

/** Parses and validates policy text; `file` names it in messages. Throws PolicyError. */
export function parsePolicy(text: string, file: string, options: PolicyLoadOptions = {}): Policy {
  return validatePolicy(parsePolicyYaml(text, file), options.now ?? new Date());
}

/**
 * Reads a policy file (at most MAX_POLICY_BYTES, UTF-8) and validates it. Throws a
 * PolicyError (WT_ERR_POLICY_INVALID) naming the file for every way it can be unusable.
 */
export async function loadPolicyFile(
  path: string,
  options: PolicyLoadOptions = {},
): Promise<Policy> {
  const fail = (message: string, cause?: unknown): PolicyError =>
    new PolicyError([{ file: path, line: 0, column: 0, path: '', message }], { cause });
  let bytes: Buffer;
  try {
    const handle = await open(path, 'r');
    try {
      // Read one byte past the cap instead of trusting stat: the file may grow meanwhile.
      const buffer = Buffer.alloc(MAX_POLICY_BYTES + 1);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      bytes = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? 'an I/O error';
    throw fail(`cannot read the policy file (${code})`, cause);
  }
  if (bytes.length > MAX_POLICY_BYTES)
    throw fail(`the file is larger than ${MAX_POLICY_BYTES} bytes`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw fail('the file is not UTF-8 text', cause);
  }
  return parsePolicy(text, path, options);
}
