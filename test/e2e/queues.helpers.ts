import { ReferenceDataService, UserAdminService } from '@app/application';
import { Role } from '@app/domain';
import { buildWorld, i247aBody, startTestApi, TEST_PASSWORD, TestApi, tokenFor, tokensFor, UserKey, World } from '@test/support';

export const HOUR = 3_600_000;
export const MINUTE = 60_000;

export interface QueueItemJson {
  queue: string;
  detainerId: string;
  version: number;
  type: string;
  status: string;
  dueAt: string;
  localTime: string;
  timeZone: string;
  facility: { id: string; name: string; timeZone: string };
  area: { id: string; code: string };
  issuingArea: { id: string; code: string };
  claim: { holder: { id: string; username: string }; claimedAt: string; claimedBy?: { id: string; username: string } } | null;
  actions: { name: string; method: string; path: string }[];
  [key: string]: unknown;
}

/** A test API with the world, tokens, and helpers to put detainers into each state over HTTP. */
export class QueueWorld {
  private serial = 0;
  readonly extraTokens = new Map<string, string>();

  private constructor(
    readonly api: TestApi,
    readonly world: World,
    readonly tokens: Record<UserKey, string>,
  ) {}

  static async start(): Promise<QueueWorld> {
    const api = await startTestApi();
    const world = await buildWorld(api.app);
    return new QueueWorld(api, world, await tokensFor(api.http, world));
  }

  close(): Promise<void> {
    return this.api.close();
  }

  get clock() {
    return this.api.clock;
  }

  token(user: string): string {
    const t = (this.tokens as Record<string, string>)[user] ?? this.extraTokens.get(user);
    if (!t) throw new Error(`no token for ${user}`);
    return t;
  }

  /** Another user (e.g. a second supervisor of an AOR), signed in. */
  async addUser(username: string, role: Role, unit: { areaId?: string; agencyId?: string }): Promise<{ id: string; username: string }> {
    const u = await this.api.app.get(UserAdminService).create({ username, password: TEST_PASSWORD, role, ...unit });
    this.extraTokens.set(username, await tokenFor(this.api.http, username));
    return { id: u.id, username: u.username };
  }

  /** A facility of its own for a test, so that a facility filter sees only that test's items. */
  async addFacility(name: string, agency: keyof World['agencies'] = 'king', area: keyof World['areas'] = 'SEA', timeZone = 'America/Los_Angeles') {
    return this.api.app.get(ReferenceDataService).createFacility({ agencyId: this.world.agencies[agency].id, name, timeZone, areaId: this.world.areas[area].id });
  }

  post(user: string, path: string, body: object = {}) {
    return this.api.http.post(path).set('Authorization', `Bearer ${this.token(user)}`).send(body);
  }

  get(user: string, path: string) {
    return this.api.http.get(path).set('Authorization', `Bearer ${this.token(user)}`);
  }

  at(hoursFromNow: number): string {
    return new Date(this.clock.now().getTime() + hoursFromNow * HOUR).toISOString();
  }

  async issue(facilityId: string, overrides: Record<string, unknown> = {}, user: UserKey = 'officerSea'): Promise<{ id: string; version: number }> {
    this.serial += 1;
    const subject = { aNumber: `A${String(200000000 + this.serial)}`, familyName: `Case${this.serial}`, givenName: 'Test', dateOfBirth: '1980-01-01', citizenship: 'MX' };
    const res = await this.post(user, '/api/v1/detainers', i247aBody(facilityId, { subject, ...overrides }));
    if (res.status !== 201) throw new Error(`issue failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; version: number };
  }

  /** Runs an action and insists it succeeds. */
  async act(user: string, detainerId: string, action: string, body: object = {}): Promise<{ id: string; version: number; [k: string]: unknown }> {
    const res = await this.post(user, `/api/v1/detainers/${detainerId}/${action}`, body);
    if (res.status !== 200) throw new Error(`${action} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** Every item of a queue, following cursors. */
  async all(user: string, queue: string, query: Record<string, string> = {}, limit = 500): Promise<QueueItemJson[]> {
    const items: QueueItemJson[] = [];
    let cursor: string | null = null;
    do {
      const qs = new URLSearchParams({ ...query, limit: String(limit), ...(cursor ? { cursor } : {}) });
      const res = await this.get(user, `/api/v1/queues/${queue}?${qs.toString()}`);
      if (res.status !== 200) throw new Error(`GET ${queue} failed: ${res.status} ${JSON.stringify(res.body)}`);
      items.push(...(res.body.items as QueueItemJson[]));
      cursor = res.body.nextCursor as string | null;
    } while (cursor);
    return items;
  }

  async ids(user: string, queue: string, query: Record<string, string> = {}): Promise<string[]> {
    return (await this.all(user, queue, query)).map((i) => i.detainerId);
  }
}
