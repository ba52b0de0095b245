// Where the CA key passphrase comes from, in order: --passphrase-file (its first line),
// $WIRETIGHT_CA_PASSPHRASE, a prompt with echo off when stdin is a terminal. Never from a
// command-line argument, which other users can read in the process list.
import { WiretightError } from '../../errors.ts';

export const PASSPHRASE_ENV = 'WIRETIGHT_CA_PASSPHRASE';
/** A passphrase file holds one line; anything much longer is not one. */
export const MAX_PASSPHRASE_FILE_BYTES = 4096;

/** Asks the user, echo off; resolves the typed line. */
export type PassphrasePrompt = (question: string) => Promise<string>;

export interface PassphraseSources {
  readonly file?: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Undefined when stdin is not a terminal. */
  readonly prompt?: PassphrasePrompt | undefined;
  /** `ca init`: ask twice on a terminal, and refuse a mismatch. */
  readonly confirm?: boolean;
}

const fail = (message: string, cause?: unknown): WiretightError =>
  new WiretightError('WT_ERR_CA_PASSPHRASE', message, cause === undefined ? undefined : { cause });

async function fromFile(path: string): Promise<string> {
  const { readCapped } = await import('../../ca/files.ts');
  let bytes: Buffer;
  try {
    bytes = await readCapped(path, MAX_PASSPHRASE_FILE_BYTES);
  } catch (cause) {
    throw fail(`--passphrase-file: ${(cause as Error).message}`, cause);
  }
  const text = bytes.toString('utf8');
  const newline = text.search(/\r?\n/);
  return newline === -1 ? text : text.slice(0, newline);
}

/** The passphrase; WT_ERR_CA_PASSPHRASE when there is none, or it is empty. */
export async function resolvePassphrase(sources: PassphraseSources): Promise<string> {
  let passphrase: string;
  let from: string;
  if (sources.file !== undefined) {
    passphrase = await fromFile(sources.file);
    from = `the first line of ${sources.file}`;
  } else if (sources.env[PASSPHRASE_ENV] !== undefined) {
    passphrase = sources.env[PASSPHRASE_ENV] as string;
    from = `$${PASSPHRASE_ENV}`;
  } else if (sources.prompt !== undefined) {
    passphrase = await sources.prompt('CA key passphrase: ');
    from = 'the prompt';
    if (sources.confirm === true && (await sources.prompt('Again, to confirm: ')) !== passphrase) {
      throw fail('the two passphrases typed differ');
    }
  } else {
    throw fail(
      `no passphrase for the CA keys: give --passphrase-file FILE, set ${PASSPHRASE_ENV}, or run on a terminal to be asked`,
    );
  }
  if (passphrase === '') throw fail(`the passphrase from ${from} is empty`);
  return passphrase;
}
