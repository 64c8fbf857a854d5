import { RowMapper } from '../row-mapper';
import { Sql } from '../sql';

export interface WebhookRecord {
  id: string;
  agencyId: string;
  url: string;
  events: string[];
  active: boolean;
  createdAt: Date;
}

export interface WebhookWithSecret extends WebhookRecord {
  /** The signing secret, sealed (SecretBox) with the context `webhook:<id>`. */
  sealedSecret: string;
}

/** A row of webhooks. */
interface WebhookRow {
  id: string;
  agency_id: string;
  url: string;
  events: string[];
  active: boolean;
  created_at: Date;
  secret_sealed: string;
}

const webhook = new RowMapper<WebhookRow, WebhookWithSecret>((r) => ({
  id: r.id,
  agencyId: r.agency_id,
  url: r.url,
  events: r.events,
  active: r.active,
  createdAt: r.created_at,
  sealedSecret: r.secret_sealed,
}));
const withoutSecret = ({ sealedSecret: _s, ...w }: WebhookWithSecret): WebhookRecord => w;

/** Agency systems' webhook endpoints; the sealed signing secret leaves this repository only to sign. */
export class WebhookRepository {
  async insert(sql: Sql, w: { id: string; agencyId: string; url: string; sealedSecret: string; events: string[]; createdBy: string | null }, now: Date): Promise<WebhookRecord> {
    const r = await webhook.one(
      sql,
      'INSERT INTO webhooks (id, agency_id, url, secret_sealed, events, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *',
      [w.id, w.agencyId, w.url, w.sealedSecret, w.events, w.createdBy, now],
    );
    return withoutSecret(r!);
  }

  /** Webhooks of one agency, or of all when `agencyId` is null (admins). */
  async list(sql: Sql, agencyId: string | null): Promise<WebhookRecord[]> {
    const rows = agencyId
      ? await webhook.all(sql, 'SELECT * FROM webhooks WHERE agency_id = $1 ORDER BY created_at, id', [agencyId])
      : await webhook.all(sql, 'SELECT * FROM webhooks ORDER BY created_at, id');
    return rows.map(withoutSecret);
  }

  async activeFor(sql: Sql, agencyId: string, event: string): Promise<WebhookRecord[]> {
    const rows = await webhook.all(sql, 'SELECT * FROM webhooks WHERE agency_id = $1 AND active AND $2 = ANY (events) ORDER BY id', [agencyId, event]);
    return rows.map(withoutSecret);
  }

  async exists(sql: Sql, id: string): Promise<boolean> {
    return (await sql.one('SELECT 1 FROM webhooks WHERE id = $1', [id])) !== null;
  }

  async findWithSecret(sql: Sql, id: string): Promise<WebhookWithSecret | null> {
    return webhook.one(sql, 'SELECT * FROM webhooks WHERE id = $1', [id]);
  }
}
