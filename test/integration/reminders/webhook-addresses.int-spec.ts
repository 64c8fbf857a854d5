import { randomUUID } from 'node:crypto';
import { SecretBox, webhookSecretContext } from '@app/application';
import { buildWorld, eventually, ReminderStack, startReminderStack, startWebhookReceiver, tokensFor, UserKey, WebhookReceiver, World } from '@test/support';
import { client, deliveriesOf, HOUR } from './helpers';

/**
 * Webhooks cannot reach inside: a URL whose host is (or resolves to) a loopback, private,
 * link-local or metadata address is refused at registration, and the address is checked again as
 * each delivery connects, so a name that resolved elsewhere when it was registered (DNS rebinding)
 * gets nothing either. No test-only allowance here (WEBHOOK_ALLOW_PRIVATE_ADDRESSES is off).
 */
describe('webhook addresses (integration, real worker)', () => {
  let stack: ReminderStack;
  let world: World;
  let tokens: Record<UserKey, string>;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    stack = await startReminderStack({ env: { WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'false' } });
    world = await buildWorld(stack.api);
    tokens = await tokensFor(stack.http, world);
  });
  afterAll(async () => {
    await stack?.close();
    await receiver?.close();
  });

  it.each([
    ['loopback', 'http://127.0.0.1:8080/hooks', /loopback/],
    ['loopback by name', 'http://localhost/hooks', /loopback/],
    ['IPv6 loopback', 'http://[::1]/hooks', /loopback/],
    ['IPv4-mapped loopback', 'http://[::ffff:127.0.0.1]/hooks', /loopback/],
    ['a private network', 'https://10.20.30.40/hooks', /private/],
    ['cloud metadata', 'http://169.254.169.254/latest/meta-data/', /linkLocal/],
    ['IPv6 unique-local (metadata fd00:ec2::254)', 'http://[fd00:ec2::254]/', /uniqueLocal/],
    ['the unspecified address', 'http://0.0.0.0/', /unspecified/],
    ['another scheme', 'ftp://93.184.216.34/hooks', /http\(s\)/],
  ])('%s is refused at registration', async (_name, url, why) => {
    const res = await client(stack, tokens).as('jailKing').post('/api/v1/webhooks', { url });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ field: 'url', message: expect.stringMatching(why) }]);
  });

  it('a public address is registered', async () => {
    const res = await client(stack, tokens).as('jailKing').post('/api/v1/webhooks', { url: 'https://93.184.216.34/hooks' });
    expect(res.status).toBe(201);
    await stack.db.transaction((sql) => sql.execute('UPDATE webhooks SET active = false WHERE id = $1', [res.body.id]));
  });

  it('a webhook whose host points inside by the time of delivery gets nothing: the delivery fails at once', async () => {
    // As if registered while its name resolved to a public address, and now resolving to this machine.
    const id = randomUUID();
    const box = stack.api.get(SecretBox);
    await stack.db.transaction((sql) =>
      sql.execute(`INSERT INTO webhooks (id, agency_id, url, secret_sealed, events, created_at) VALUES ($1, $2, $3, $4, $5, now())`, [
        id, world.agencies.king.id, receiver.url, box.seal('whsec_rebound', webhookSecretContext(id)), ['reminder.unacknowledged_24h'],
      ]),
    );
    await stack.startWorker();
    const d = await stack.clock.shifted(-24 * HOUR + 500, () => client(stack, tokens).issue(world.facilities.kingJail.id));
    const failed = await eventually(async () => (await deliveriesOf(stack, d.id)).find((x) => x.channel === 'webhook' && x.status === 'failed'), 'the webhook delivery to fail');
    expect(failed).toMatchObject({ attempts: 1, last_error: expect.stringMatching(/refused: .*127\.0\.0\.1.*private IP address/) });
    expect(receiver.requests).toHaveLength(0);
  });
});
