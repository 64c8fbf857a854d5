import { Injectable } from '@nestjs/common';
import { WebhookClient, WebhookRequest } from '@app/application';

/** POSTs a signed webhook; any network error or timeout is retryable. Redirects are not followed. */
@Injectable()
export class HttpWebhookClient extends WebhookClient {
  async post(request: WebhookRequest): Promise<{ status: number }> {
    const response = await fetch(request.url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    await response.arrayBuffer().catch(() => undefined);
    return { status: response.status };
  }
}
