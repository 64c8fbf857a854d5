import { FailedDeliveries } from '@app/application';
import { JobProducer, reminderJobId } from '@app/queue';
import {
  asPrincipal, buildWorld, drainQueues, eventually, principalOf, ReminderStack, SmtpSink, startReminderStack, startSmtpSink, startWebhookReceiver, tokensFor, UserKey, WebhookReceiver, World,
} from '@test/support';
import { client, deliveriesOf, HOUR, iso, remindersOf, setEmails } from './helpers';

/**
 * Reminders fire at their time through the real worker, real Redis and PostgreSQL, a real SMTP
 * server and a real HTTP webhook endpoint: short real delays (seconds), no long sleeps.
 */
describe('reminder delivery (integration)', () => {
  let smtp: SmtpSink;
  let hooks: WebhookReceiver;
  let stack: ReminderStack;
  let world: World;
  let tokens: Record<UserKey, string>;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    hooks = await startWebhookReceiver();
    stack = await startReminderStack({ env: { SMTP_URL: smtp.url } });
    world = await buildWorld(stack.api);
    tokens = await tokensFor(stack.http, world);
    api = client(stack, tokens);
    await setEmails(stack, world, { jailKing: 'jail.king@king.test', officerSea: 'officer.sea@ice.test', supervisorSea: 'supervisor.sea@ice.test', jailCook: 'jail.cook@cook.test' });
    const created = await api.as('jailKing').post('/api/v1/webhooks', { url: hooks.url });
    expect(created.status).toBe(201);
    hooks.setSecret(created.body.secret);
    // Two worker processes' worth of runtime at once: nothing may be done twice.
    await stack.startWorker();
    await stack.startWorker();
  });
  afterAll(async () => {
    await stack?.close();
    await hooks?.close();
    await smtp?.close();
  });

  const firedWithin = async (detainerId: string, expectedKeys: string[], timeoutMs = 20_000) =>
    eventually(async () => {
      const rows = await remindersOf(stack, detainerId);
      const fired = rows.filter((r) => r.status === 'fired');
      const deliveries = await deliveriesOf(stack, detainerId);
      const settled = deliveries.every((d) => d.status === 'sent' || d.status === 'failed');
      return expectedKeys.every((k) => fired.some((r) => r.key === k)) && settled ? rows : undefined;
    }, `reminders ${expectedKeys.join(', ')} of ${detainerId}`, timeoutMs);

  it('each kind of reminder fires at its time, to each recipient on each channel, once', async () => {
    const now = Date.now();
    const king = world.facilities.kingJail.id;
    // A: released in 48 h + 3 s: the 48-hour reminder is due in 3 s (agency and office).
    const a = await api.issue(king);
    await api.act('jailKing', a.id, 'acknowledge', { response: 'will_comply' });
    await api.act('jailKing', a.id, 'schedule-release', { releaseAt: iso(now + 48 * HOUR + 3000) });
    // B: a release 10 h ahead: short notice, the office is alerted at once.
    const b = await api.issue(king, { subject: { aNumber: 'A012345679', familyName: 'Roe', givenName: 'B', dateOfBirth: '1990-01-01', citizenship: 'MX' } });
    await api.act('jailKing', b.id, 'acknowledge', { response: 'will_notify_only' });
    await api.act('jailKing', b.id, 'schedule-release', { releaseAt: iso(now + 10 * HOUR) });
    // C: a hold that ends in 12 h + 4 s: the office is reminded in 4 s.
    const c = await api.issue(king, { issuedAt: iso(now - 47 * HOUR) });
    await api.act('jailKing', c.id, 'acknowledge', { response: 'will_comply' });
    await api.act('jailKing', c.id, 'start-hold', { since: iso(now - 36 * HOUR + 4000) });
    // D: a hold ending in 4 s (recorded late): the 2-hour reminder goes at once, the agency is told at the deadline.
    const d = await api.issue(king, { issuedAt: iso(now - 49 * HOUR) });
    await api.act('jailKing', d.id, 'acknowledge', { response: 'will_comply' });
    await api.act('jailKing', d.id, 'start-hold', { since: iso(now - 48 * HOUR + 4000) });
    // E: recorded 24 h - 3 s ago and never acknowledged.
    const e = await stack.clock.shifted(-24 * HOUR + 3000, () => api.issue(king));

    const rowsA = await firedWithin(a.id, ['1.release_48h.agency', '1.release_48h.office']);
    const rowsB = await firedWithin(b.id, ['1.short_notice.office']);
    const rowsC = await firedWithin(c.id, ['1.hold_12h.office']);
    const rowsD = await firedWithin(d.id, ['1.hold_2h.office', '1.hold_expired.agency']);
    const rowsE = await firedWithin(e.id, ['1.unacknowledged_24h.agency', '1.unacknowledged_24h.supervisors']);

    // At their time: never early, and late by less than a few seconds on this shared machine. A reminder
    // already overdue when it was written (the backdated detainers' unacknowledged ones) goes at once.
    for (const r of [...rowsA, ...rowsB, ...rowsC, ...rowsD, ...rowsE].filter((x) => x.status === 'fired')) {
      const lateness = r.fired_at!.getTime() - Math.max(r.due_at.getTime(), r.created_at.getTime());
      expect({ key: r.key, early: lateness < -50 }).toEqual({ key: r.key, early: false });
      expect(lateness).toBeLessThan(4000);
    }
    expect(rowsC.filter((r) => r.status === 'pending').map((r) => r.key).sort()).toEqual(['1.hold_2h.office', '1.hold_expired.agency']);
    expect(rowsD.map((r) => r.key)).not.toContain('1.hold_12h.office');

    // In-app inbox: exactly one notification per reminder and recipient.
    const inbox = async (user: UserKey) => (await api.as(user).get('/api/v1/notifications?limit=50')).body as { items: { kind: string; detainerId: string }[]; unreadCount: number };
    const kinds = (items: { kind: string; detainerId: string }[]) => items.map((n) => `${n.detainerId === a.id ? 'A' : n.detainerId === b.id ? 'B' : n.detainerId === c.id ? 'C' : n.detainerId === d.id ? 'D' : 'E'}:${n.kind}`).sort();
    expect(kinds((await inbox('jailKing')).items)).toEqual(['A:release_48h', 'D:hold_expired', 'E:unacknowledged_24h']);
    expect(kinds((await inbox('officerSea')).items)).toEqual(['A:release_48h', 'B:short_notice', 'C:hold_12h', 'D:hold_2h']);
    expect(kinds((await inbox('supervisorSea')).items)).toEqual(['E:unacknowledged_24h']);
    expect((await inbox('jailCook')).items).toEqual([]);
    expect((await inbox('jailSnohomish')).items).toEqual([]);

    // E-mail: one per reminder and recipient with an address.
    const mailTo = (addr: string) => smtp.messages.filter((m) => m.to.includes(addr)).length;
    expect(mailTo('jail.king@king.test')).toBe(3);
    expect(mailTo('officer.sea@ice.test')).toBe(4);
    expect(mailTo('supervisor.sea@ice.test')).toBe(1);
    expect(mailTo('jail.cook@cook.test')).toBe(0);
    expect(new Set(smtp.messages.map((m) => m.messageId)).size).toBe(smtp.messages.length);

    // The message: action due, local time with zone, the UTC instant, the detainer and a link.
    const release = smtp.messages.find((m) => m.to.includes('officer.sea') && m.subject.startsWith('Release in 48 hours'))!;
    expect(release.text).toContain('Release in 48 hours: plan the pickup.');
    expect(release.text).toMatch(/Release: \w{3} \d{1,2} \w{3} \d{4} \d{2}:\d{2} P[SD]T \(America\/Los_Angeles\)/);
    expect(release.text).toContain(iso(now + 48 * HOUR + 3000).slice(0, 19));
    expect(release.text).toContain(`Detainer: ${a.id} (I-247A)`);
    expect(release.text).toContain(`Open it: http://web.test/detainers/${a.id}`);
    expect(release.text).not.toMatch(/Doe|John|012345678/);

    // Webhooks: the agency's three reminders, signed, each delivery id once.
    const accepted = hooks.accepted();
    expect(accepted.map((w) => w.event).sort()).toEqual(['reminder.hold_expired', 'reminder.release_48h', 'reminder.unacknowledged_24h']);
    expect(hooks.requests).toHaveLength(3);
    for (const w of accepted) {
      expect(w.validSignature).toBe(true);
      expect(w.json.id).toBe(w.deliveryId);
      expect(w.json.link).toMatch(/^http:\/\/web\.test\/detainers\//);
    }
    const hold = accepted.find((w) => w.event === 'reminder.hold_expired')!;
    expect(hold.json).toMatchObject({ detainerId: d.id, audience: 'agency', holdExpiresAt: { utc: iso(now + 4000), timeZone: 'America/Los_Angeles' } });

    // Every delivery recorded once per reminder, channel and recipient.
    for (const id of [a.id, b.id, c.id, d.id, e.id]) {
      const rows = await deliveriesOf(stack, id);
      expect(rows.every((r) => r.status === 'sent')).toBe(true);
      expect(new Set(rows.map((r) => `${r.reminder_id}.${r.channel}.${r.recipient}`)).size).toBe(rows.length);
    }
  });

  it('a reschedule leaves only the new reminders: the old never fire', async () => {
    const now = Date.now();
    const x = await api.issue(world.facilities.kingJail.id, { subject: { aNumber: 'A022345678', familyName: 'Poe', givenName: 'X', dateOfBirth: '1985-02-02', citizenship: 'GT' } });
    await api.act('jailKing', x.id, 'acknowledge', { response: 'will_comply' });
    await api.act('jailKing', x.id, 'schedule-release', { releaseAt: iso(now + 48 * HOUR + 60_000) });
    const first = (await remindersOf(stack, x.id)).filter((r) => r.status === 'pending');
    expect(first.map((r) => r.key).sort()).toEqual(['1.release_48h.agency', '1.release_48h.office']);
    await api.act('jailKing', x.id, 'schedule-release', { releaseAt: iso(now + 48 * HOUR + 2500) });

    const rows = await firedWithin(x.id, ['1.release_48h.agency', '1.release_48h.office']);
    expect(rows.filter((r) => r.status === 'cancelled' && r.cancel_reason === 'rescheduled').map((r) => r.id).sort()).toEqual(first.map((r) => r.id).sort());
    // The unacknowledged reminders of issue were cancelled by the acknowledgment.
    expect(rows.filter((r) => r.cancel_reason === 'no_longer_due').map((r) => r.kind)).toEqual(['unacknowledged_24h', 'unacknowledged_24h']);
    expect(rows.filter((r) => r.status === 'pending')).toEqual([]);
    // The old jobs were removed from Redis after the commit; had one survived, firing it finds the row cancelled.
    const producer = stack.api.get(JobProducer);
    for (const r of first) expect(await producer.state('reminders', reminderJobId(r.id, r.job_version))).toBe('unknown');
    const deliveries = await deliveriesOf(stack, x.id);
    const firedIds = rows.filter((r) => r.status === 'fired').map((r) => r.id);
    expect(deliveries.every((dl) => firedIds.includes(dl.reminder_id))).toBe(true);
  });

  it('a webhook endpoint failing twice then succeeding gets exactly one accepted delivery, validly signed', async () => {
    const flaky = await startWebhookReceiver((n) => (n <= 2 ? 500 : 200));
    try {
      const created = await api.as('admin').post('/api/v1/webhooks', { url: flaky.url, agencyId: world.agencies.snohomish.id, events: ['reminder.unacknowledged_24h'] });
      expect(created.status).toBe(201);
      flaky.setSecret(created.body.secret);
      const s = await stack.clock.shifted(-24 * HOUR + 1000, () => api.issue(world.facilities.snohomishJail.id));
      await firedWithin(s.id, ['1.unacknowledged_24h.agency']);
      expect(flaky.requests.map((r) => r.status)).toEqual([500, 500, 200]);
      expect(new Set(flaky.requests.map((r) => r.deliveryId)).size).toBe(1);
      expect(flaky.requests.every((r) => r.validSignature)).toBe(true);
      expect(flaky.accepted()).toHaveLength(1);
      const [webhook] = (await deliveriesOf(stack, s.id)).filter((dl) => dl.channel === 'webhook');
      expect(webhook).toMatchObject({ status: 'sent', attempts: 3 });
    } finally {
      await flaky.close();
    }
  });

  it('after the last attempt a delivery is marked failed, listed in failed deliveries, and a retry delivers it', async () => {
    let up = false;
    const down = await startWebhookReceiver(() => (up ? 200 : 503));
    try {
      const created = await api.as('jailCook').post('/api/v1/webhooks', { url: down.url, events: ['reminder.unacknowledged_24h'] });
      down.setSecret(created.body.secret);
      const k = await stack.clock.shifted(-24 * HOUR + 500, () => api.issue(world.facilities.cookJail.id, {}, 'officerChi'));
      await firedWithin(k.id, ['1.unacknowledged_24h.agency']);
      const [failed] = (await deliveriesOf(stack, k.id)).filter((dl) => dl.channel === 'webhook');
      expect(failed).toMatchObject({ status: 'failed', attempts: 3 });
      expect(failed.last_error).toMatch(/HTTP 503/);
      expect(down.requests).toHaveLength(3);

      const queue = stack.api.get(FailedDeliveries);
      const supervisorChi = principalOf(world, 'supervisorChi');
      const listed = await asPrincipal(supervisorChi, () => queue.list(supervisorChi, { limit: 50 }));
      expect(listed.items.map((i) => i.id)).toContain(failed.id);
      expect(listed.items.find((i) => i.id === failed.id)).toMatchObject({ detainerId: k.id, kind: 'unacknowledged_24h', channel: 'webhook' });
      // Scope: the Seattle supervisor does not see Chicago's failures, nor may retry them.
      const supervisorSea = principalOf(world, 'supervisorSea');
      expect((await asPrincipal(supervisorSea, () => queue.list(supervisorSea, { limit: 50 }))).items.map((i) => i.id)).not.toContain(failed.id);
      await expect(asPrincipal(supervisorSea, () => queue.retry(supervisorSea, failed.id))).rejects.toMatchObject({ code: 'not_found' });

      up = true;
      await asPrincipal(supervisorChi, () => queue.retry(supervisorChi, failed.id));
      await eventually(async () => (await deliveriesOf(stack, k.id)).find((dl) => dl.id === failed.id)?.status === 'sent', 'the retried delivery');
      expect(down.accepted()).toHaveLength(1);
      expect(down.accepted()[0].validSignature).toBe(true);
    } finally {
      await down.close();
    }
  });

  it('a duplicated or re-run job never delivers twice', async () => {
    const y = await stack.clock.shifted(-24 * HOUR + 500, () => api.issue(world.facilities.kingJail.id, { subject: { aNumber: 'A032345678', familyName: 'Loe', givenName: 'Y', dateOfBirth: '1970-03-03', citizenship: 'SV' } }));
    const rows = await firedWithin(y.id, ['1.unacknowledged_24h.agency', '1.unacknowledged_24h.supervisors']);
    const before = { mails: smtp.messages.length, hooks: hooks.requests.length, deliveries: (await deliveriesOf(stack, y.id)).length };
    const producer = stack.api.get(JobProducer);
    for (const r of rows) {
      // The same job again (its completed job was removed, so BullMQ really runs it), twice.
      await producer.add({ name: 'reminder.fire', data: { reminderId: r.id, version: r.job_version }, jobId: `${reminderJobId(r.id, r.job_version)}-dup` });
      await producer.add({ name: 'reminder.fire', data: { reminderId: r.id, version: r.job_version }, jobId: reminderJobId(r.id, r.job_version) });
    }
    for (const dl of await deliveriesOf(stack, y.id)) {
      if (dl.channel !== 'inbox') await producer.add({ name: 'delivery.send', data: { deliveryId: dl.id, version: 1 }, jobId: `delivery.${dl.id}.v1-dup` });
    }
    await drainQueues([producer.queue('reminders'), producer.queue('deliveries')]);
    expect({ mails: smtp.messages.length, hooks: hooks.requests.length, deliveries: (await deliveriesOf(stack, y.id)).length }).toEqual(before);
    // Finished jobs do not pile up in Redis; and the two workers registered one reconcile scheduler, not two.
    expect((await producer.queue('reminders').getJobCounts('completed')).completed).toBe(0);
    expect((await producer.queue('deliveries').getJobCounts('completed')).completed).toBe(0);
    const schedulers = await producer.queue('reminders').getJobSchedulers();
    expect(schedulers.map((sch) => sch.key)).toEqual(['reminders.reconcile']);
  });
});
