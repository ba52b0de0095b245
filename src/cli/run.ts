import { Command, CommanderError } from 'commander';
import { WiretightError } from '../errors.ts';
import { VERSION } from '../version.ts';
import { CA_EXIT_CODES, registerCa } from './commands/ca.ts';
import { registerScan } from './commands/scan.ts';
import { registerTunnel } from './commands/tunnel.ts';
import { EXIT } from './exit-codes.ts';
import type { CliIo } from './io.ts';

/**
 * Runs the CLI on `argv` (without the node and script entries) and returns the exit code.
 * Never throws for a user mistake: it prints one line (or a JSON object when the user
 * asked for JSON) and returns a documented exit code.
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('wiretight')
    .description('Encryption in transit: find weak or cleartext links, fix them, keep them fixed.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  program.addHelpText(
    'after',
    '\nRun `wiretight <command> --help` for the options and examples of each command.',
  );
  registerScan(program, io, (code) => {
    exitCode = code;
  });
  registerCa(program, io, (code) => (exitCode = code));
  registerTunnel(program, io, (code) => (exitCode = code));
  if (argv.length === 0) {
    io.stdout(program.helpInformation());
    return EXIT.ok;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version requests end through here too, with exit code 0.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof WiretightError) {
      if (argv.includes('json') && (argv.includes('--format') || argv.includes('-f'))) {
        io.stdout(`${JSON.stringify({ error: err.toJSON() })}\n`);
      } else {
        io.stderr(`wiretight: ${err.message} [${err.code}]\n`);
      }
      return (
        CA_EXIT_CODES[err.code] ??
        (err.code === 'WT_ERR_CLI_USAGE' || err.code === 'WT_ERR_TARGET_INVALID'
          ? EXIT.usage
          : EXIT.unreachable)
      );
    }
    throw err;
  }
}
