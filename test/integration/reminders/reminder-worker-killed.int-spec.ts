import { buildWorld, eventually, ReminderStack, SmtpSink, startReminderStack, startSmtpSink, startWebhookReceiver, tokensFor, UserKey, WebhookReceiver, World } from '@test/support';
import { client, deliveriesOf, HOUR, iso, remindersOf, setEmails } from './helpers';

/**
 * A worker process SIGKILLed in the middle of delivering a reminder (an e-mail half-sent, a webhook
 * received but not yet answered), then a new worker process: exactly one delivery per reminder,
 * channel and recipient is recorded, the inbox holds one notification per recipient, the SMTP
 * server accepted one message per recipient, and the webhook receiver, deduping on the delivery id
 * as it should, accepted one.
 */
describe('a worker killed mid-delivery (integration, separate worker processes)', () => {
  let smtp: SmtpSink;
  let hooks: WebhookReceiver;
  let stack: ReminderStack;
  let world: World;
  let tokens: Record<UserKey, string>;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    hooks = await startWebhookReceiver((n) => (n === 1 ? 'hang' : 200));
    stack = await startReminderStack({ env: { SMTP_URL: smtp.url, JOB_LOCK_MS: '2000' } });
    world = await buildWorld(stack.api);
    tokens = await tokensFor(stack.http, world);
    await setEmails(stack, world, { jailKing: 'jail.king@king.test', officerSea: 'officer.sea@ice.test' });
    const created = await client(stack, tokens).as('jailKing').post('/api/v1/webhooks', { url: hooks.url });
    hooks.setSecret(created.body.secret);
  });
  afterAll(async () => {
    await stack?.close();
    await hooks?.close();
    await smtp?.close();
  });

  it('yields exactly one delivery per recipient and channel after a restart', async () => {
    const api = client(stack, tokens);
    const first = stack.spawnWorker();
    const exited = new Promise<NodeJS.Signals | null>((resolve) => first.once('exit', (_code, signal) => resolve(signal)));
    const mailHeld = smtp.holdNext();
    const hookHeld = hooks.nextHang();
    const d = await api.issue(world.facilities.kingJail.id);
    await api.act('jailKing', d.id, 'acknowledge', { response: 'will_comply' });
    await api.act('jailKing', d.id, 'schedule-release', { releaseAt: iso(Date.now() + 48 * HOUR + 1500) });

    // The worker process is in the middle of both: the SMTP DATA is unanswered, the webhook request unanswered.
    await Promise.all([mailHeld.arrived, hookHeld]);
    // Kill it when the only deliveries in flight are the two held ones (the other e-mail is recorded sent).
    const before = await eventually(async () => {
      const rows = await deliveriesOf(stack, d.id);
      const inFlight = rows.filter((x) => x.status === 'sending').map((x) => x.channel).sort();
      return rows.length === 5 && JSON.stringify(inFlight) === '["email","webhook"]' ? rows : undefined;
    }, 'only the held deliveries in flight');
    expect(before.filter((x) => x.channel === 'inbox').map((x) => x.status)).toEqual(['sent', 'sent']);
    expect(before.filter((x) => x.status === 'sent').map((x) => x.channel).sort()).toEqual(['email', 'inbox', 'inbox']);
    first.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    mailHeld.release(); // the sender is gone: the SMTP server never accepted that message
    expect(hooks.requests).toHaveLength(1); // the receiver did get the webhook; its answer never arrived

    const second = stack.spawnWorker();
    await eventually(async () => {
      const rows = await deliveriesOf(stack, d.id);
      return rows.length === 5 && rows.every((x) => x.status === 'sent') ? rows : undefined;
    }, 'every delivery sent after the restart', 40_000).catch(async (error: unknown) => {
      throw new Error(`${(error as Error).message}\n${JSON.stringify(await deliveriesOf(stack, d.id))}\n${(second as unknown as { output: string }).output.slice(-4000)}`);
    });

    const rows = await deliveriesOf(stack, d.id);
    // inbox x2 (jail.king, officer.sea), e-mail x2, webhook x1: once per reminder, channel and recipient.
    expect(rows.map((x) => x.channel).sort()).toEqual(['email', 'email', 'inbox', 'inbox', 'webhook']);
    expect((await remindersOf(stack, d.id)).filter((r) => r.status === 'fired')).toHaveLength(2);
    const notifications = await stack.db.read((sql) => sql.query<{ user_id: string }>('SELECT user_id FROM notifications WHERE detainer_id = $1', [d.id]));
    expect(notifications.map((n) => n.user_id).sort()).toEqual([world.users.jailKing.id, world.users.officerSea.id].sort());

    // E-mail: the SMTP server accepted exactly one message per recipient (the one cut off was never accepted).
    expect(smtp.messages.map((m) => m.to).sort()).toEqual(['jail.king@king.test', 'officer.sea@ice.test']);
    expect(smtp.dataStarted).toBe(3);

    // Webhook: sent again after the restart with the same delivery id, which the receiver dedupes on.
    expect(hooks.requests).toHaveLength(2);
    expect(new Set(hooks.requests.map((r) => r.deliveryId)).size).toBe(1);
    expect(hooks.accepted()).toHaveLength(1);
    expect(hooks.accepted()[0].validSignature).toBe(true);
  }, 90_000);
});
