import { RowMapper } from '../row-mapper';
import { Sql } from '../sql';

export interface ChainLink {
  position: number;
  auditId: string;
  hash: Buffer;
}

/** An audit entry as the chain hashes it: its canonical text (audit_entry_text in the database). */
export interface ChainableEntry {
  auditId: string;
  text: string;
}

/** A link as verification reads it, with the entry it stands for (null when that entry is gone). */
export interface StoredLink extends ChainLink {
  text: string | null;
  anchor: Buffer | null;
}

/** A row of audit_chain (position is int8: a string from the driver). */
interface AuditChainRow {
  position: string;
  audit_id: string;
  hash: Buffer;
}

const chainLink = new RowMapper<AuditChainRow, ChainLink>((r) => ({ position: Number(r.position), auditId: r.audit_id, hash: r.hash }));

/** A row of audit_chain with its entry's text now and its anchor's hash (the columns links selects). */
interface StoredLinkRow extends AuditChainRow {
  text: string | null;
  anchor: Buffer | null;
}

const storedLink = new RowMapper<StoredLinkRow, StoredLink>((r) => ({ ...chainLink.decode(r), text: r.text, anchor: r.anchor }));

/** An audit_log id with its canonical text (the columns unchained selects). */
interface ChainableEntryRow {
  id: string;
  text: string;
}

const chainableEntry = new RowMapper<ChainableEntryRow, ChainableEntry>((r) => ({ auditId: r.id, text: r.text }));

/** Entries a chainer may still find below the highest one chained: those committed late (they took their id earlier). */
const LATE_WINDOW = 10_000;

/** The audit log's hash chain (audit_chain) and its anchors: appended, never changed. */
export class AuditChainRepository {
  /** True when this transaction is now the one chainer (released at its end); false when another one is at work. */
  async tryLockChain(sql: Sql): Promise<boolean> {
    const row = await sql.one<{ locked: boolean }>(`SELECT pg_try_advisory_xact_lock(hashtext('audit_chain')) AS locked`);
    return row?.locked === true;
  }

  async lastLink(sql: Sql): Promise<ChainLink | null> {
    return chainLink.one(sql, 'SELECT position, audit_id, hash FROM audit_chain ORDER BY position DESC LIMIT 1');
  }

  /**
   * Entries not yet chained, in id order: those above the last chained and those that committed late
   * (within a window of ids below it; `sweep` looks at the whole log).
   */
  async unchained(sql: Sql, lastAuditId: string | null, limit: number, sweep: boolean): Promise<ChainableEntry[]> {
    const floor = sweep || lastAuditId === null ? 0 : Math.max(0, Number(lastAuditId) - LATE_WINDOW);
    return chainableEntry.all(
      sql,
      `SELECT a.id, audit_entry_text(a) AS text FROM audit_log a
       WHERE a.id > $1 AND NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.audit_id = a.id)
       ORDER BY a.id LIMIT $2`,
      [floor, limit],
    );
  }

  async append(sql: Sql, links: readonly ChainLink[], anchors: readonly ChainLink[]): Promise<void> {
    if (links.length === 0) return;
    await sql.query(
      `INSERT INTO audit_chain (position, audit_id, hash) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bytea[])`,
      [links.map((l) => l.position), links.map((l) => l.auditId), links.map((l) => l.hash)],
    );
    if (anchors.length) {
      await sql.query(`INSERT INTO audit_chain_anchors (position, hash) SELECT * FROM unnest($1::bigint[], $2::bytea[])`, [anchors.map((a) => a.position), anchors.map((a) => a.hash)]);
    }
  }

  /** Links after `afterPosition`, in order, with their entries' text now and any anchor kept for them. */
  async links(sql: Sql, afterPosition: number, limit: number): Promise<StoredLink[]> {
    return storedLink.all(
      sql,
      `SELECT c.position, c.audit_id, c.hash, audit_entry_text(a) AS text, an.hash AS anchor
       FROM audit_chain c
       LEFT JOIN audit_log a ON a.id = c.audit_id
       LEFT JOIN audit_chain_anchors an ON an.position = c.position
       WHERE c.position > $1 ORDER BY c.position LIMIT $2`,
      [afterPosition, limit],
    );
  }

  /** Anchors whose link is gone (a chain cut short behind them). */
  async orphanAnchors(sql: Sql): Promise<number> {
    const row = await sql.one<{ n: string }>(`SELECT count(*) AS n FROM audit_chain_anchors an WHERE NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.position = an.position)`);
    return Number(row?.n ?? 0);
  }
}
