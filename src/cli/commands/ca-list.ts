// `wiretight ca list`: the store's certificates as a table or JSON. Reads only ca.db, so it
// needs no passphrase and runs where the keys are not readable.
import { join } from 'node:path';
import { CA_FILES, type CertificateRecord, readConfig } from '../../ca/index.ts';
import { openCaStore } from '../../store/index.ts';
import { type Painter, pad, painter, terminalSafe } from '../../report/style.ts';
import { type CliIo, wantsColor } from '../io.ts';
import type { CaListFlags } from './ca.ts';
import { CA_EXIT } from './ca.ts';
import { type DisplayStatus, printJson, recordJson, statusAt } from './ca-common.ts';

const STATUS_COLOUR = {
  valid: 'green',
  expired: 'yellow',
  revoked: 'red',
} as const satisfies Record<DisplayStatus, string>;
const MAX_NAMES_SHOWN = 2;

function namesOf(r: CertificateRecord): string {
  const values = r.identifiers.map((i) => terminalSafe(i.value));
  const shown = values.slice(0, MAX_NAMES_SHOWN).join(', ');
  return values.length > MAX_NAMES_SHOWN ? `${shown} +${values.length - MAX_NAMES_SHOWN}` : shown;
}

function daysLeft(r: CertificateRecord, now: Date): string {
  const days = (r.notAfter.getTime() - now.getTime()) / 86_400_000;
  return days <= 0 ? '-' : days < 1 ? '<1' : String(Math.floor(days));
}

function table(records: readonly CertificateRecord[], now: Date, paint: Painter): string {
  const rows = records.map((r) => {
    const status = statusAt(r, now);
    return [
      r.serial,
      namesOf(r),
      r.usage,
      r.notAfter.toISOString().replace('.000Z', 'Z'),
      daysLeft(r, now),
      paint(STATUS_COLOUR[status], status),
    ];
  });
  const header = ['SERIAL', 'NAMES', 'USAGE', 'NOT AFTER', 'DAYS', 'STATUS'];
  const widths = header.map((h, i) =>
    Math.max(
      h.length,
      ...rows.map((row) => (row[i] as string).replace(/\x1b\[[0-9;]*m/g, '').length),
    ),
  );
  return [header, ...rows]
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : pad(cell, widths[i] as number)))
        .join('  '),
    )
    .join('\n');
}

export async function runCaList(flags: CaListFlags, io: CliIo): Promise<number> {
  await readConfig(flags.dir);
  const store = openCaStore(join(flags.dir, CA_FILES.database));
  try {
    const now = new Date();
    const query = {
      now,
      limit: flags.limit + 1,
      ...(flags.status === undefined ? {} : { status: flags.status }),
      ...(flags.expiring === undefined ? {} : { expiringWithinSeconds: flags.expiring }),
    };
    const found = await store.list(query);
    const truncated = found.length > flags.limit;
    const records = found.slice(0, flags.limit);
    if (flags.format === 'json') {
      printJson(io, { certificates: records.map((r) => recordJson(r, now)), truncated });
      return CA_EXIT.ok;
    }
    if (records.length === 0) {
      io.stdout('no certificates match\n');
      return CA_EXIT.ok;
    }
    io.stdout(`${table(records, now, painter(wantsColor(io, flags.color)))}\n`);
    if (truncated) io.stdout(`(the first ${flags.limit}; raise --limit for more)\n`);
    return CA_EXIT.ok;
  } finally {
    await store.close();
  }
}
