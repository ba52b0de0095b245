// Keeps a tunnel's credentials current: a change in the directory of any of the files
// (debounced, so a writer's several renames count once; a Kubernetes `..data` symlink
// swap is a rename in that directory), a timer as the safety net for file systems that
// do not notify, and an explicit call (SIGHUP). Reloads run one at a time; a failed one
// keeps the credentials in use and logs why.
import { type FSWatcher, watch } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '../core/logger.ts';
import { isWiretightError } from '../errors.ts';
import { type CredentialPaths, type Credentials, loadCredentials } from './credentials.ts';

export const RELOAD_TRIGGERS = ['watch', 'timer', 'signal', 'manual'] as const;
export type ReloadTrigger = (typeof RELOAD_TRIGGERS)[number];
export type ReloadResult = 'reloaded' | 'unchanged' | 'failed';

export interface ReloaderOptions {
  readonly paths: CredentialPaths;
  readonly initial: Credentials;
  /** Installs new credentials (setSecureContext); called only with checked ones. */
  readonly apply: (credentials: Credentials) => void;
  readonly logger: Logger;
  /** Re-read on this period even without a change event; 0 turns the timer off. */
  readonly intervalMs?: number;
  readonly debounceMs?: number;
  /** Watch the files' directories (default true). */
  readonly watch?: boolean;
  readonly clock?: () => Date;
  /** Told of each reload's result (metrics). */
  readonly onResult?: (result: ReloadResult, trigger: ReloadTrigger) => void;
}

/** How a tunnel reloads, as its options give it. */
export interface ReloadSettings {
  readonly intervalMs?: number;
  readonly debounceMs?: number;
  readonly watch?: boolean;
}

export function reloaderSettings(
  reload: ReloadSettings = {},
): Pick<ReloaderOptions, 'intervalMs' | 'debounceMs' | 'watch'> {
  return {
    ...(reload.intervalMs === undefined ? {} : { intervalMs: reload.intervalMs }),
    ...(reload.debounceMs === undefined ? {} : { debounceMs: reload.debounceMs }),
    ...(reload.watch === undefined ? {} : { watch: reload.watch }),
  };
}

export interface Reloader {
  current(): Credentials;
  reload(trigger: ReloadTrigger): Promise<ReloadResult>;
  close(): void;
}

export function startReloader(options: ReloaderOptions): Reloader {
  const clock = options.clock ?? (() => new Date());
  let current = options.initial;
  let chain: Promise<unknown> = Promise.resolve();
  let debounce: NodeJS.Timeout | undefined;
  let closed = false;

  const attempt = async (trigger: ReloadTrigger): Promise<ReloadResult> => {
    let result: ReloadResult;
    try {
      const next = await loadCredentials(options.paths, clock());
      if (next.digest === current.digest) {
        result = 'unchanged';
      } else {
        options.apply(next);
        current = next;
        result = 'reloaded';
        options.logger.info(
          {
            event: 'tunnel.reload',
            trigger,
            result,
            serial: next.leaf.serialNumber.toLowerCase(),
            notAfter: new Date(next.leaf.validTo).toISOString(),
          },
          'tunnel: certificates reloaded',
        );
      }
    } catch (error) {
      result = 'failed';
      options.logger.error(
        {
          event: 'tunnel.reload',
          trigger,
          result,
          error: isWiretightError(error) ? error.toJSON() : { message: String(error) },
        },
        'tunnel: reload failed, keeping the certificates in use',
      );
    }
    options.onResult?.(result, trigger);
    return result;
  };

  const reload = (trigger: ReloadTrigger): Promise<ReloadResult> => {
    const run = chain.then(() => attempt(trigger));
    chain = run;
    return run;
  };

  const watchers: FSWatcher[] = [];
  if (options.watch ?? true) {
    const dirs = new Set(
      [options.paths.cert, options.paths.key, options.paths.ca].map((p) => dirname(p)),
    );
    for (const dir of dirs) {
      try {
        const watcher = watch(dir, { persistent: false }, () => {
          if (closed) return;
          clearTimeout(debounce);
          debounce = setTimeout(() => void reload('watch'), options.debounceMs ?? 250);
        });
        watcher.on('error', (error) =>
          options.logger.warn(
            { event: 'tunnel.watch', dir, error: String(error) },
            'tunnel: watch failed; the timer still reloads',
          ),
        );
        watchers.push(watcher);
      } catch (error) {
        options.logger.warn(
          { event: 'tunnel.watch', dir, error: String(error) },
          'tunnel: cannot watch; the timer still reloads',
        );
      }
    }
  }
  const interval = options.intervalMs ?? 60_000;
  const timer = interval > 0 ? setInterval(() => void reload('timer'), interval) : undefined;
  timer?.unref();

  return {
    current: () => current,
    reload,
    close() {
      closed = true;
      clearTimeout(debounce);
      clearInterval(timer);
      for (const w of watchers) w.close();
    },
  };
}
