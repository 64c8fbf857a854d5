import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import { DomainError } from '@app/domain';

/** Where webhooks may go: public unicast addresses, over https in production. */
export interface WebhookAddressPolicy {
  /** WEBHOOK_ALLOW_PRIVATE_ADDRESSES: a test or lab allowance for receivers on this machine or a private network. Off by default, refused in production. */
  allowPrivateAddresses: boolean;
  /** https only (production). */
  requireHttps: boolean;
}

export type Resolve = (host: string) => Promise<string[]>;
const resolveAll: Resolve = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Why an address may not receive webhooks, or null: anything but a public unicast address
 * (loopback, private, link-local, cloud metadata at 169.254.169.254 or fd00:ec2::254, carrier-grade
 * NAT, reserved ranges), judged as request-filtering-agent judges it at delivery (ipaddr.js ranges).
 */
export function refusedAddress(address: string): string | null {
  if (!ipaddr.isValid(address)) return 'is not an IP address';
  const range = ipaddr.process(address).range();
  return range === 'unicast' ? null : `is a ${range} address`;
}

/**
 * Checks a webhook URL when it is registered: scheme, and every address its host resolves to. It
 * is checked again at every delivery, at connection time (a name may resolve elsewhere by then).
 */
export async function assertWebhookUrlAllowed(raw: string, policy: WebhookAddressPolicy, resolve: Resolve = resolveAll): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw DomainError.invalidInput('url', 'url must be an absolute http(s) URL.');
  }
  if (url.protocol !== 'https:' && (policy.requireHttps || url.protocol !== 'http:')) {
    throw DomainError.invalidInput('url', policy.requireHttps ? 'url must be an https URL.' : 'url must be an http(s) URL.');
  }
  if (url.username || url.password) throw DomainError.invalidInput('url', 'url must not carry credentials; webhooks are signed instead.');
  if (policy.allowPrivateAddresses) return url;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = ipaddr.isValid(host) ? [host] : await resolve(host);
  } catch {
    throw DomainError.invalidInput('url', `The host ${host} does not resolve; register a URL your system answers on.`);
  }
  for (const address of addresses) {
    const why = refusedAddress(address);
    if (why) throw DomainError.invalidInput('url', `The host ${host} resolves to ${address}, which ${why}: webhooks go only to public addresses.`);
  }
  if (addresses.length === 0) throw DomainError.invalidInput('url', `The host ${host} does not resolve; register a URL your system answers on.`);
  return url;
}
