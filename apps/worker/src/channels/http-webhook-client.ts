import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Injectable } from '@nestjs/common';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';
import { PermanentDeliveryError, WebhookClient, WebhookRequest } from '@app/application';

/**
 * POSTs a signed webhook; any network error or timeout is retryable. Redirects are not followed.
 * Connections go through request-filtering-agent, which checks the address the host resolved to as
 * the socket connects: a name that pointed elsewhere at registration (DNS rebinding) still cannot
 * reach loopback, private, link-local or metadata addresses. Such a refusal is permanent.
 */
@Injectable()
export class HttpWebhookClient extends WebhookClient {
  private readonly agents = {
    strict: { http: new RequestFilteringHttpAgent({ keepAlive: false }), https: new RequestFilteringHttpsAgent({ keepAlive: false }) },
    open: { http: new RequestFilteringHttpAgent({ keepAlive: false, allowPrivateIPAddress: true }), https: new RequestFilteringHttpsAgent({ keepAlive: false, allowPrivateIPAddress: true }) },
  };

  post(req: WebhookRequest): Promise<{ status: number }> {
    const url = new URL(req.url);
    const agents = req.allowPrivateAddresses ? this.agents.open : this.agents.strict;
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const outgoing = send(url, { method: 'POST', headers: { ...req.headers, 'content-length': String(Buffer.byteLength(req.body)) }, agent: url.protocol === 'https:' ? agents.https : agents.http, timeout: req.timeoutMs }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
        res.on('error', reject);
      });
      outgoing.on('timeout', () => outgoing.destroy(new Error(`webhook timed out after ${req.timeoutMs} ms`)));
      outgoing.on('error', (error) => reject(/is not allowed\. Because, It is/.test(error.message) ? new PermanentDeliveryError(`refused: ${error.message}`) : error));
      outgoing.end(req.body);
    });
  }
}
