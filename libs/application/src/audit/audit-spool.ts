import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { NewAuditEntry } from '@app/persistence';

const SPOOL = /^audit-spool-(\d+)\.jsonl$/;
const REPLAYING = /^audit-spool-(\d+)-(\d+)\.replaying$/;

/**
 * Audit entries the database could not take (an outage), kept in a local append-only file, one
 * JSON line each, flushed to disk before the request is answered; written to the database, in
 * order, once it is back. One file per process (`audit-spool-<pid>.jsonl`); a file left by a
 * process that is gone is replayed by the next one that finds it. A replay first renames the file
 * (new entries start a new one), writes its entries in one transaction, then deletes it.
 */
@Injectable()
export class AuditSpool {
  private readonly logger = new Logger('AuditSpool');
  private readonly dir: string;
  private readonly file: string;
  private spooled = 0;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.dir = path.resolve(config.auditSpoolDir);
    this.file = path.join(this.dir, `audit-spool-${process.pid}.jsonl`);
  }

  append(entry: NewAuditEntry): void {
    mkdirSync(this.dir, { recursive: true });
    const fd = openSync(this.file, 'a', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(entry)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.spooled += 1;
  }

  /** Files to replay, oldest first: this process's and those of processes that are gone. */
  private files(): string[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    const mine = (pid: number) => pid === process.pid || !alive(pid);
    const replaying = names
      .map((n) => ({ n, m: REPLAYING.exec(n) }))
      .filter((x) => x.m && mine(Number(x.m[1])))
      .sort((a, b) => Number(a.m![2]) - Number(b.m![2]) || a.n.localeCompare(b.n))
      .map((x) => x.n);
    const spools = names.filter((n) => {
      const m = SPOOL.exec(n);
      return m !== null && mine(Number(m[1]));
    });
    return [...replaying, ...spools].map((n) => path.join(this.dir, n));
  }

  /** True when some file may hold entries (cheap: no file read). */
  hasPending(): boolean {
    return this.spooled > 0 || this.files().length > 0;
  }

  /**
   * Hands every spooled entry, file by file and in order, to `write` (one transaction per file);
   * a file is deleted once `write` succeeded, and kept for the next replay if it failed.
   */
  async replay(write: (entries: NewAuditEntry[]) => Promise<void>): Promise<number> {
    let written = 0;
    for (const file of this.files()) {
      let target = file;
      if (SPOOL.test(path.basename(file))) {
        target = path.join(this.dir, `audit-spool-${process.pid}-${Date.now()}.replaying`);
        try {
          renameSync(file, target);
        } catch {
          continue; // another process took it first
        }
        if (file === this.file) this.spooled = 0;
      }
      const entries = readFileSync(target, 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => {
          const e = JSON.parse(line) as NewAuditEntry;
          return { ...e, at: new Date(e.at) };
        });
      if (entries.length) await write(entries);
      unlinkSync(target);
      written += entries.length;
    }
    if (written) this.logger.warn({ written }, 'spooled audit entries written to the database');
    return written;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
