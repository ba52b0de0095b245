// File I/O of the CA directory: capped reads (a file is hostile until read) and atomic
// writes (temp file created with its final mode, fsynced, renamed), so a crash never
// leaves a half-written key and a key is never readable by others, even for a moment.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { link, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { WiretightError } from '../errors.ts';

const errnoOf = (cause: unknown): string => (cause as NodeJS.ErrnoException).code ?? String(cause);

/** The whole file if it has at most `cap` bytes; WT_ERR_CA_DIR naming it otherwise. */
export async function readCapped(path: string, cap: number): Promise<Buffer> {
  let bytes: Buffer;
  try {
    const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      // One byte past the cap instead of trusting stat: the file may grow meanwhile.
      const buffer = Buffer.alloc(cap + 1);
      let filled = 0;
      while (filled < buffer.length) {
        const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      bytes = buffer.subarray(0, filled);
    } finally {
      await handle.close();
    }
  } catch (cause) {
    const code = errnoOf(cause);
    const why = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`;
    throw new WiretightError('WT_ERR_CA_DIR', `${path} ${why}`, { cause });
  }
  if (bytes.length > cap) {
    throw new WiretightError('WT_ERR_CA_DIR', `${path} is larger than ${cap} bytes`);
  }
  return bytes;
}

/** UTF-8 text of a capped file; WT_ERR_CA_DIR when it is not UTF-8. */
export async function readCappedText(path: string, cap: number): Promise<string> {
  const bytes = await readCapped(path, cap);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new WiretightError('WT_ERR_CA_DIR', `${path} is not UTF-8 text`, { cause });
  }
}

export interface WriteOptions {
  /** Permission bits the file is created with (0o600 for keys, 0o644 for certificates). */
  readonly mode: number;
  /** Fail when the file exists already instead of replacing it (`ca init`). */
  readonly exclusive?: boolean;
}

/**
 * Writes `data` to `path` atomically: a temp file in the same directory, created with
 * `mode`, written and fsynced, then renamed over `path`. With `exclusive`, an existing
 * file is WT_ERR_CA_DIR (checked by linking rather than renaming, which cannot clobber).
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: WriteOptions,
): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(
      temp,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL,
      options.mode,
    );
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.exclusive === true) {
      await link(temp, path);
      await unlink(temp);
    } else {
      await rename(temp, path);
    }
  } catch (cause) {
    await unlink(temp).catch(() => undefined);
    const code = errnoOf(cause);
    const why = code === 'EEXIST' ? 'exists already' : `cannot be written (${code})`;
    throw new WiretightError('WT_ERR_CA_DIR', `${path} ${why}`, { cause });
  }
}
