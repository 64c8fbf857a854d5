import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ApplicationModule, AuditChain, AuditChainReport } from '@app/application';
import { AppConfig, AppConfigModule } from '@app/config';
import { PersistenceModule } from '@app/persistence';

/** `npm run audit:verify`: chains what is pending, recomputes the whole chain and prints the report as JSON. */
export async function verifyAuditChain(config: AppConfig, print: (line: string) => void = console.log): Promise<AuditChainReport> {
  @Module({ imports: [AppConfigModule.forRoot(config), PersistenceModule, ApplicationModule.forRoot()] })
  class VerifyModule {}
  const app = await NestFactory.createApplicationContext(VerifyModule, { logger: ['error', 'warn'] });
  try {
    const report = await app.get(AuditChain).verify();
    print(JSON.stringify(report));
    return report;
  } finally {
    await app.close();
  }
}
