// `wiretight scan --ca FILE`: extra trust anchors, read only when some are given.
import { WiretightError } from '../../errors.ts';
import { TrustStore, readCaFile } from '../../pki/index.ts';
import { usage } from './scan-run.ts';

/** A trust store with the `--ca` files on top of the default anchors. */
export async function trustStoreFor(files: readonly string[]): Promise<TrustStore> {
  const caFiles = [];
  for (const file of files) {
    try {
      caFiles.push(await readCaFile(file));
    } catch (err) {
      if (err instanceof WiretightError) throw usage(err.message);
      throw err;
    }
  }
  return new TrustStore({ files: caFiles });
}
