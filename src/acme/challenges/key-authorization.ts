import { createHash } from 'node:crypto';

/** RFC 8555 §8.1: the token and the account key's thumbprint. */
export const keyAuthorization = (token: string, accountThumbprint: string): string =>
  `${token}.${accountThumbprint}`;

/** SHA-256 of the key authorization: the dns-01 TXT value (base64url) and the tls-alpn-01 extension. */
export const keyAuthorizationDigest = (keyAuth: string): Buffer =>
  createHash('sha256').update(keyAuth, 'utf8').digest();
