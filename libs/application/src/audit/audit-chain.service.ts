import { createHmac } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { AuditChainRepository, ChainLink, Database } from '@app/persistence';

/** What verifying the chain found. `firstBrokenId`: the first audit entry whose link does not hold (edited, removed, reordered). */
export interface AuditChainReport {
  ok: boolean;
  /** Entries verified (every link of the chain). */
  rows: number;
  firstBrokenId?: string;
  /** Why the chain does not hold, when it does not. */
  problem?: string;
}

const GENESIS = Buffer.alloc(32);
const BATCH = 5_000;
/** Every ANCHOR_EVERY-th link is an anchor: kept in audit_chain_anchors and written to the log. */
const ANCHOR_EVERY = 1_000;

/**
 * The audit log's hash chain. Entries are chained after they commit, by one chainer at a time, so
 * writing an entry costs nothing more than before and concurrent requests never wait for each other;
 * an entry written later from a spool is chained like any other. Links are HMACs under a key the
 * service holds, so someone with the database alone cannot rebuild the chain after an edit.
 */
@Injectable()
export class AuditChain {
  private readonly logger = new Logger('AuditChain');
  private readonly key: Buffer;

  constructor(
    private readonly db: Database,
    private readonly chain: AuditChainRepository,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.key = config.security.auditChainKey;
  }

  /** Links every entry not chained yet (`sweep`: looking through the whole log, not only recent ids). Returns how many. */
  async extend(opts: { sweep?: boolean } = {}): Promise<number> {
    let total = 0;
    for (;;) {
      const step = await this.db.transaction(async (sql) => {
        if (!(await this.chain.tryLockChain(sql))) return { chained: 0, busy: true };
        const last = await this.chain.lastLink(sql);
        const entries = await this.chain.unchained(sql, last?.auditId ?? null, BATCH, opts.sweep === true);
        let previous: Buffer = last?.hash ?? GENESIS;
        let position = last?.position ?? 0;
        const links: ChainLink[] = entries.map((e) => {
          position += 1;
          previous = this.link(previous, e.text);
          return { position, auditId: e.auditId, hash: previous };
        });
        const anchors = links.filter((l) => l.position % ANCHOR_EVERY === 0);
        await this.chain.append(sql, links, anchors);
        for (const a of anchors) this.logger.log({ position: a.position, auditId: a.auditId, hash: a.hash.toString('hex') }, 'audit chain anchor');
        return { chained: links.length, busy: false };
      });
      total += step.chained;
      if (step.busy || step.chained < BATCH) return total;
    }
  }

  /** Chains what is pending, then recomputes every link from the entries as they are now. */
  async verify(): Promise<AuditChainReport> {
    await this.extend({ sweep: true });
    let previous: Buffer = GENESIS;
    let expected = 1;
    let rows = 0;
    for (;;) {
      const links = await this.db.read((sql) => this.chain.links(sql, expected - 1, BATCH));
      for (const l of links) {
        const broken = (problem: string): AuditChainReport => ({ ok: false, rows, firstBrokenId: l.auditId, problem });
        if (l.position !== expected) return broken(`links ${expected} to ${l.position - 1} of the chain are missing`);
        if (l.text === null) return broken(`audit entry ${l.auditId} was removed`);
        const hash = this.link(previous, l.text);
        if (!hash.equals(l.hash)) return broken(`audit entry ${l.auditId} does not match its link: it was changed after it was written`);
        if (l.anchor && !l.anchor.equals(l.hash)) return broken(`the anchor at link ${l.position} does not match the chain`);
        previous = hash;
        expected += 1;
        rows += 1;
      }
      if (links.length < BATCH) break;
    }
    if ((await this.db.read((sql) => this.chain.orphanAnchors(sql))) > 0) return { ok: false, rows, problem: 'the chain ends before its last anchor: links were removed from its end' };
    return { ok: true, rows };
  }

  private link(previous: Buffer, text: string): Buffer {
    return createHmac('sha256', this.key).update(previous).update(text, 'utf8').digest();
  }
}
