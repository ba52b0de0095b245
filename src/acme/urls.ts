/**
 * The URLs of every ACME resource, from the base URL the service knows once it listens
 * (e.g. https://ca.internal:8443). Route paths and the URLs clients see come from the same
 * table, so a handler cannot hand out a URL no route answers.
 */
export const ACME_PREFIX = '/acme';

export const RESOURCE_PATHS = {
  directory: '/directory',
  newNonce: '/new-nonce',
  newAccount: '/new-account',
  newOrder: '/new-order',
  revokeCert: '/revoke-cert',
  keyChange: '/key-change',
  renewalInfo: '/renewal-info',
  account: '/account',
  order: '/order',
  authz: '/authz',
  challenge: '/chall',
  certificate: '/cert',
} as const;

export type ResourceName = keyof typeof RESOURCE_PATHS;

export class AcmeUrls {
  readonly root: string;

  constructor(baseUrl: string) {
    this.root = `${baseUrl}${ACME_PREFIX}`;
  }

  of(name: ResourceName, id?: string): string {
    return `${this.root}${RESOURCE_PATHS[name]}${id === undefined ? '' : `/${id}`}`;
  }

  account(id: string): string {
    return this.of('account', id);
  }

  accountOrders(id: string): string {
    return `${this.of('account', id)}/orders`;
  }

  order(id: string): string {
    return this.of('order', id);
  }

  finalize(id: string): string {
    return `${this.of('order', id)}/finalize`;
  }

  authz(id: string): string {
    return this.of('authz', id);
  }

  challenge(id: string): string {
    return this.of('challenge', id);
  }

  certificate(serial: string): string {
    return this.of('certificate', serial);
  }
}
