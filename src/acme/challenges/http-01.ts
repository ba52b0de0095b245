/**
 * http-01 (RFC 8555 §8.3): GET http://<identifier>:<port>/.well-known/acme-challenge/<token>
 * must answer 200 with the key authorization (surrounding whitespace ignored). Redirects
 * are not followed (fewer places a validation can be steered to), the body is read up to
 * 8 KiB, and the whole exchange shares the validation's deadline.
 */
import { request } from 'node:http';
import { problemDocument } from '../problems.ts';
import { addressOf, failureProblem } from './network.ts';
import { VALID, type ValidationOutcome, type Validator } from './types.ts';

export const HTTP01_MAX_BODY = 8 * 1024;

type Fetched =
  | { readonly status: number; readonly body: string; readonly truncated: boolean }
  | { readonly error: unknown };

function fetchOnce(
  address: string,
  port: number,
  path: string,
  hostHeader: string,
  signal: AbortSignal,
): Promise<Fetched> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: address,
        port,
        path,
        method: 'GET',
        agent: false,
        signal,
        headers: { host: hostHeader, 'user-agent': 'wiretight-acme', accept: '*/*' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = (truncated: boolean): void => {
          res.destroy();
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            truncated,
          });
        };
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > HTTP01_MAX_BODY) done(true);
          else chunks.push(chunk);
        });
        res.on('end', () => done(false));
        res.on('error', (error) => resolve({ error }));
      },
    );
    req.on('error', (error) => resolve({ error }));
    req.end();
  });
}

export const validateHttp01: Validator = async (target, settings, signal) => {
  const { identifier, token, keyAuthorization } = target;
  const path = `/.well-known/acme-challenge/${token}`;
  const host =
    identifier.type === 'ip' && identifier.value.includes(':')
      ? `[${identifier.value}]`
      : identifier.value;
  const hostHeader = settings.http01Port === 80 ? host : `${host}:${settings.http01Port}`;
  const url = `http://${hostHeader}${path}`;
  let address: string | undefined;
  try {
    address = await addressOf(identifier, settings, signal);
  } catch (error) {
    return { valid: false, problem: failureProblem(error, url, signal, settings.timeoutMs) };
  }
  if (address === undefined) {
    return {
      valid: false,
      problem: problemDocument('dns', `${url}: ${identifier.value} has no address`),
    };
  }
  const fetched = await fetchOnce(address, settings.http01Port, path, hostHeader, signal);
  return judge(fetched, url, keyAuthorization, signal, settings.timeoutMs);
};

function judge(
  fetched: Fetched,
  url: string,
  keyAuthorization: string,
  signal: AbortSignal,
  timeoutMs: number,
): ValidationOutcome {
  if ('error' in fetched) {
    return { valid: false, problem: failureProblem(fetched.error, url, signal, timeoutMs) };
  }
  if (fetched.status !== 200) {
    const redirect =
      fetched.status >= 300 && fetched.status < 400 ? ' (redirects are not followed)' : '';
    return {
      valid: false,
      problem: problemDocument('unauthorized', `${url} answered HTTP ${fetched.status}${redirect}`),
    };
  }
  if (fetched.truncated) {
    return {
      valid: false,
      problem: problemDocument(
        'incorrectResponse',
        `${url} sent more than ${HTTP01_MAX_BODY} bytes`,
      ),
    };
  }
  if (fetched.body.trim() !== keyAuthorization) {
    return {
      valid: false,
      problem: problemDocument('incorrectResponse', `${url} did not serve the key authorization`),
    };
  }
  return VALID;
}
