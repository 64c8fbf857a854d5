import 'reflect-metadata';
import path from 'node:path';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { loadConfigOrExit } from '@app/config';
import { startDevMailSink } from './channels/dev-mail-sink';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  let config = loadConfigOrExit();
  if (config.smtpUrl === null && config.nodeEnv === 'development') {
    // A first look without a mail server: a real SMTP server in this process keeps every e-mail as a file.
    const sink = await startDevMailSink(path.resolve('.data', 'mail'));
    config = { ...config, smtpUrl: sink.url };
    console.log(`E-mail reminders: no SMTP_URL, so they go to an in-process SMTP server (${sink.url}) that writes each message to ${sink.dir}/*.eml`);
  } else if (config.smtpUrl === null) {
    console.warn('E-mail reminders are off: set SMTP_URL (smtp://user:pass@host:587) to send them. In-app and webhook reminders still go out.');
  }
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.init();
  console.log(`Worker running (queue prefix "${config.queuePrefix}")`);
}

main().catch((error: unknown) => {
  console.error('The worker could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
