/** Ports for the channels that leave our systems; the worker provides the implementations. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  /** Stable per delivery (`<delivery-id@host>`): a resend after a crash carries the same id, so mail systems can drop the copy. */
  messageId: string;
  headers: Record<string, string>;
}

export abstract class Mailer {
  /** False when no SMTP server is configured: no e-mail deliveries are created then. */
  abstract readonly enabled: boolean;
  abstract send(mail: OutgoingMail): Promise<void>;
}

export interface WebhookRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** Connect to loopback and private addresses too (WEBHOOK_ALLOW_PRIVATE_ADDRESSES); otherwise the address is checked as the connection opens. */
  allowPrivateAddresses: boolean;
}

export abstract class WebhookClient {
  abstract post(request: WebhookRequest): Promise<{ status: number }>;
}

/** A failure that retrying cannot fix (SMTP 5xx, webhook 4xx, webhook removed): marked failed at once. */
export class PermanentDeliveryError extends Error {
  override name = 'PermanentDeliveryError';
}

/** Another runner holds the delivery (a stalled job running twice): retry after its lease. */
export class DeliveryInProgressError extends Error {
  override name = 'DeliveryInProgressError';
  constructor(
    message: string,
    readonly until: Date,
  ) {
    super(message);
  }
}
