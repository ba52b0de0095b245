import assert from 'node:assert/strict';
import test from 'node:test';
import { WiretightError } from '../../errors.ts';
import {
  MAX_ADDRESSES_PER_NAME,
  type ResolvedTarget,
  resolveTarget,
  resolveTargets,
  resolverFor,
} from './resolve.ts';
import type { FleetTarget } from './target-list.ts';

const target = (host: string): FleetTarget => ({ host, port: 443, source: 'test' });
const collect = async (it: AsyncIterable<ResolvedTarget>) => {
  const out: ResolvedTarget[] = [];
  for await (const t of it) out.push(t);
  return out;
};

test('a name is scanned on its first address, or with allIps on each; addresses need no lookup', async () => {
  const lookups: string[] = [];
  const lookup = async (host: string) => {
    lookups.push(host);
    return ['192.0.2.1', '2001:db8::1', '192.0.2.1'];
  };
  const targets = [target('api.example'), target('198.51.100.7'), target('::1')];
  const first = await collect(
    resolveTargets(targets, { allIps: false, window: 4, timeoutMs: 1000, lookup }),
  );
  assert.deepEqual(
    first.map((t) => [t.host, t.address]),
    [
      ['api.example', '192.0.2.1'],
      ['198.51.100.7', '198.51.100.7'],
      ['::1', '::1'],
    ],
  );
  assert.deepEqual(lookups, ['api.example']);
  let extra = 0;
  const all = await collect(
    resolveTargets(targets, {
      allIps: true,
      window: 4,
      timeoutMs: 1000,
      lookup,
      onExtraTargets: (n) => (extra += n),
    }),
  );
  assert.deepEqual(
    all.map((t) => [t.host, t.address]),
    [
      ['api.example', '192.0.2.1'],
      ['api.example', '2001:db8::1'],
      ['198.51.100.7', '198.51.100.7'],
      ['::1', '::1'],
    ],
  );
  assert.equal(extra, 1, 'the duplicate answer is scanned once');
});

test('names that fail, time out or answer junk are yielded with a WT_ERR_PROBE_DNS error', async () => {
  const lookup = async (host: string): Promise<string[]> => {
    if (host === 'nx.example') throw new WiretightError('WT_ERR_PROBE_DNS', 'cannot resolve nx');
    if (host === 'slow.example') return new Promise(() => undefined);
    return ['not-an-address', ''];
  };
  const out = await collect(
    resolveTargets([target('nx.example'), target('slow.example'), target('junk.example')], {
      allIps: true,
      window: 3,
      timeoutMs: 50,
      lookup,
    }),
  );
  assert.deepEqual(
    out.map((t) => [t.host, t.address, t.unresolved?.code, t.unresolved?.message]),
    [
      ['nx.example', undefined, 'WT_ERR_PROBE_DNS', 'cannot resolve nx'],
      [
        'slow.example',
        undefined,
        'WT_ERR_PROBE_DNS',
        'cannot resolve slow.example: no answer in 50 ms',
      ],
      ['junk.example', undefined, 'WT_ERR_PROBE_DNS', 'junk.example resolved to no address'],
    ],
  );
});

test('lookups run at most `window` ahead, and yield in order', async () => {
  let inFlight = 0;
  let peak = 0;
  const lookup = async (host: string) => {
    peak = Math.max(peak, ++inFlight);
    await new Promise((r) => setTimeout(r, host.startsWith('h1') ? 20 : 2));
    inFlight--;
    return [`192.0.2.${host.slice(1, host.indexOf('.'))}`];
  };
  const names = Array.from({ length: 20 }, (_, i) => target(`h${i}.example`));
  const out = await collect(
    resolveTargets(names, { allIps: false, window: 3, timeoutMs: 1000, lookup }),
  );
  assert.equal(peak, 3);
  assert.deepEqual(
    out.map((t) => t.address),
    names.map((_, i) => `192.0.2.${i}`),
  );
});

test('a name with a huge answer is scanned on its first addresses only', async () => {
  const answer = Array.from({ length: 500 }, (_, i) => `10.0.${i >> 8}.${i & 255}`);
  const out = await collect(
    resolveTargets([target('big.example')], {
      allIps: true,
      window: 1,
      timeoutMs: 1000,
      lookup: async () => answer,
    }),
  );
  assert.equal(out.length, MAX_ADDRESSES_PER_NAME);
});

test('one target resolves as the fleet resolves it, and its resolver answers its address or its error', async () => {
  const lookup = async (host: string): Promise<string[]> => {
    if (host === 'slow.example') return new Promise(() => undefined);
    return ['not-an-address', '2001:db8::7', '192.0.2.7'];
  };
  const [named] = await resolveTarget(target('api.example'), {
    allIps: false,
    timeoutMs: 1000,
    lookup,
  });
  assert.equal(named?.address, '2001:db8::7');
  assert.equal(await resolverFor(named!)('api.example'), '2001:db8::7');
  const both = await resolveTarget(target('api.example'), {
    allIps: true,
    timeoutMs: 1000,
    lookup,
  });
  assert.deepEqual(
    both.map((t) => t.address),
    ['2001:db8::7', '192.0.2.7'],
  );
  const [literal] = await resolveTarget(target('198.51.100.7'), {
    allIps: false,
    timeoutMs: 1000,
    lookup: () => Promise.reject(new Error('an address is never looked up')),
  });
  assert.equal(literal?.address, '198.51.100.7');
  const [slow] = await resolveTarget(target('slow.example'), {
    allIps: false,
    timeoutMs: 50,
    lookup,
  });
  assert.equal(slow?.address, undefined);
  await assert.rejects(
    resolverFor(slow!)('slow.example'),
    (err: unknown) =>
      err instanceof WiretightError &&
      err.code === 'WT_ERR_PROBE_DNS' &&
      /no answer in 50 ms/.test(err.message),
  );
});
