// `wiretight scan --policy FILE`: the policy module (its YAML reader and rules), loaded
// only when a policy is given.
import { WiretightError } from '../../errors.ts';
import * as policyModule from '../../scan/policy/index.ts';
import { usage } from './scan-run.ts';

/** The policy file, loaded and validated; its problems are a usage error, one per line. */
export async function loadPolicy(path: string) {
  try {
    return { module: policyModule, policy: await policyModule.loadPolicyFile(path) };
  } catch (err) {
    if (err instanceof WiretightError) throw usage(err.message);
    throw err;
  }
}
