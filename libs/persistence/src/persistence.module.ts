import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@app/config';
import { createDataSource } from './data-source';
import { DetainerReadRepository } from './repositories/detainer-read.repository';
import { DetainerWriteRepository } from './repositories/detainer-write.repository';
import { IdempotencyRepository } from './repositories/idempotency.repository';
import { QueueRepository } from './repositories/queue.repository';
import { ReferenceRepository } from './repositories/reference.repository';
import { SubjectRepository } from './repositories/subject.repository';
import { UserRepository } from './repositories/user.repository';
import { Database } from './sql';

export const PERSISTENCE_APPLICATION_NAME = Symbol('PersistenceApplicationName');

const REPOSITORIES = [
  DetainerReadRepository,
  DetainerWriteRepository,
  IdempotencyRepository,
  QueueRepository,
  ReferenceRepository,
  SubjectRepository,
  UserRepository,
];

@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig) => createDataSource({ url: config.databaseUrl }).initialize(),
    },
    { provide: Database, inject: [DataSource], useFactory: (ds: DataSource) => new Database(ds) },
    ...REPOSITORIES.map((R) => ({ provide: R, useValue: new R() })),
  ],
  exports: [DataSource, Database, ...REPOSITORIES],
})
export class PersistenceModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
