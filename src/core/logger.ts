/**
 * The logging interface the services depend on. pino's Logger satisfies it, so the CLI
 * hands a pino instance down; tests hand a recorder. Keeping the interface here (and not
 * importing pino in every service) leaves core free of dependencies.
 */
export interface Logger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

/** A logger that drops everything, the default where a caller passes none. */
export const silentLogger: Logger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};

/** One recorded log call, as `recordingLogger` keeps it for tests and audit checks. */
export interface LogRecord {
  level: 'info' | 'warn' | 'error';
  message: string;
  fields: Record<string, unknown>;
}

/** A logger that keeps every line in memory, with the bindings of its children merged. */
export function recordingLogger(
  records: LogRecord[] = [],
  bindings: Record<string, unknown> = {},
): Logger & { records: LogRecord[] } {
  const at =
    (level: LogRecord['level']) =>
    (fields: Record<string, unknown>, message: string): void => {
      records.push({ level, message, fields: { ...bindings, ...fields } });
    };
  return {
    records,
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (more) => recordingLogger(records, { ...bindings, ...more }),
  };
}
