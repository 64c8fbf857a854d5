import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Headers every webhook delivery carries. Receivers dedupe on the delivery id (it is the same on every retry). */
export const WEBHOOK_HEADERS = {
  deliveryId: 'x-detainer-delivery-id',
  timestamp: 'x-detainer-timestamp',
  signature: 'x-detainer-signature',
  event: 'x-detainer-event',
} as const;

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** HMAC-SHA256 over `<timestamp>.<body>`, hex: the timestamp is signed so a captured request cannot be replayed later. */
function signWebhook(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** `v1=<hex>`, as sent in X-Detainer-Signature. */
export function signatureHeader(secret: string, timestamp: number, body: string): string {
  return `v1=${signWebhook(secret, timestamp, body)}`;
}

/**
 * What a receiver does: recompute the signature over the raw body and the timestamp header, compare in
 * constant time, and refuse timestamps more than `toleranceSeconds` away from its clock.
 */
export function verifyWebhook(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const timestamp = Number(headers.timestamp);
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const given = /^v1=([0-9a-f]{64})$/.exec(headers.signature ?? '')?.[1];
  if (!given) return false;
  const expected = signWebhook(secret, timestamp, body);
  return timingSafeEqual(Buffer.from(given, 'hex'), Buffer.from(expected, 'hex'));
}

/** What a webhook's sealed secret is bound to: copied to another row, it does not open. */
export function webhookSecretContext(webhookId: string): string {
  return `webhook:${webhookId}`;
}
