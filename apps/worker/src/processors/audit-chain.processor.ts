import { Injectable } from '@nestjs/common';
import { AuditChain } from '@app/application';
import { JobHandler } from '@app/queue';

/** Extends the audit log's hash chain (one chainer at a time: the others find it busy and return). */
@Injectable()
export class AuditChainProcessor implements JobHandler<'audit.chain'> {
  readonly jobName = 'audit.chain' as const;

  constructor(private readonly chain: AuditChain) {}

  async handle(): Promise<void> {
    await this.chain.extend();
  }
}
