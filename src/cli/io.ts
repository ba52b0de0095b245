/** The only door to the process's streams; commands receive it so tests can capture output. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Whether stdout is a terminal (colour). */
  readonly stdoutIsTty: boolean;
  /** Whether stderr is a terminal (the progress line of a fleet scan). */
  readonly stderrIsTty?: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Colour on a terminal unless NO_COLOR is set; FORCE_COLOR wins; `--color/--no-color` win over both. */
export function wantsColor(io: CliIo, flag: boolean | undefined): boolean {
  if (flag !== undefined) return flag;
  if (io.env['FORCE_COLOR'] !== undefined && io.env['FORCE_COLOR'] !== '0') return true;
  if (io.env['NO_COLOR'] !== undefined && io.env['NO_COLOR'] !== '') return false;
  return io.stdoutIsTty;
}
