// The passphrase prompt on a terminal: raw mode, nothing echoed, Backspace works, Ctrl-C
// and Ctrl-D give up. The one place the CA commands read the process's stdin (CliIo has
// no input stream); undefined when stdin is not a terminal, so scripts never hang on it.
import { WiretightError } from '../../errors.ts';
import type { PassphrasePrompt } from './ca-passphrase.ts';

const MAX_TYPED = 1024;

export function terminalPrompt(): PassphrasePrompt | undefined {
  const { stdin, stderr } = process;
  if (stdin.isTTY !== true) return undefined;
  return (question) =>
    new Promise<string>((resolve, reject) => {
      let typed = '';
      const finish = (error?: WiretightError): void => {
        stdin.off('data', onData);
        stdin.setRawMode(false);
        stdin.pause();
        stderr.write('\n');
        if (error === undefined) resolve(typed);
        else reject(error);
      };
      const onData = (chunk: string): void => {
        for (const ch of chunk) {
          if (ch === '\r' || ch === '\n') return finish();
          if (ch === '\u0003' || ch === '\u0004') {
            return finish(
              new WiretightError('WT_ERR_CA_PASSPHRASE', 'the passphrase prompt was cancelled'),
            );
          }
          if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
          else if (typed.length < MAX_TYPED && ch >= ' ') typed += ch;
        }
      };
      stderr.write(question);
      stdin.setEncoding('utf8');
      stdin.setRawMode(true);
      stdin.resume();
      stdin.on('data', onData);
    });
}
