import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACME_METRIC_NAMES } from './metrics.ts';
import { problemType, startAcme } from './testdata/harness.ts';
import { obtainCertificate } from './testdata/flows.ts';

/** The value of one series in the exposition, or undefined. */
function value(exposition: string, series: string): number | undefined {
  const line = exposition.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

test('orders, requests, problems and validations are counted under their documented names', async () => {
  const acme = await startAcme();
  try {
    const client = await acme.account();
    await obtainCertificate(acme, client, [{ type: 'dns', value: 'metrics.test' }]);
    const refused = await client.post(
      client.endpoint('newOrder'),
      { identifiers: [] },
      { nonce: 'A'.repeat(22) },
    );
    assert.equal(problemType(refused), 'badNonce');
    await client.newOrder([{ type: 'dns', value: 'pending.metrics.test' }]);
    const text = await acme.registry.metrics();
    const o = ACME_METRIC_NAMES.ordersTotal;
    assert.equal(value(text, `${o}{state="pending"}`), 2);
    assert.equal(value(text, `${o}{state="ready"}`), 1);
    assert.equal(value(text, `${o}{state="processing"}`), 1);
    assert.equal(value(text, `${o}{state="valid"}`), 1);
    const g = ACME_METRIC_NAMES.orders;
    assert.equal(value(text, `${g}{state="valid"}`), 1);
    assert.equal(value(text, `${g}{state="pending"}`), 1);
    assert.equal(value(text, `${g}{state="invalid"}`), 0);
    const r = ACME_METRIC_NAMES.requestsTotal;
    assert.equal(value(text, `${r}{endpoint="new-account",result="ok"}`), 1);
    assert.equal(value(text, `${r}{endpoint="finalize",result="ok"}`), 1);
    assert.equal(value(text, `${r}{endpoint="new-order",result="problem"}`), 1);
    assert.equal(value(text, `${ACME_METRIC_NAMES.problemsTotal}{type="badNonce"}`), 1);
  } finally {
    await acme.close();
  }
});

test('validations are counted by type and result, with their duration', async () => {
  const acme = await startAcme({
    validation: { connectHost: '127.0.0.1', http01Port: 9, timeoutMs: 2000 },
  });
  try {
    const client = await acme.account();
    const order = await client.newOrder([{ type: 'dns', value: 'v.metrics.test' }]);
    const authz = await client.get(order.json.authorizations![0]!);
    const challenge = authz.json.challenges!.find((c) => c.type === 'http-01')!;
    assert.equal((await client.post(challenge.url!, {})).json.status, 'invalid');
    const text = await acme.registry.metrics();
    assert.equal(
      value(text, `${ACME_METRIC_NAMES.validationsTotal}{type="http-01",result="invalid"}`),
      1,
    );
    assert.equal(value(text, `${ACME_METRIC_NAMES.validationSeconds}_count{type="http-01"}`), 1);
    assert.equal(value(text, `${ACME_METRIC_NAMES.ordersTotal}{state="invalid"}`), 1);
  } finally {
    await acme.close();
  }
});
