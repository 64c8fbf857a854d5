import { mkdirSync, writeFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import path from 'node:path';

/**
 * For `npm start` without SMTP_URL: a real SMTP server inside the worker process that accepts every
 * message and writes it to `<dir>/<time>-<n>.eml`, so e-mail reminders can be read without a mail server.
 * `smtp-server` is a development dependency: loaded here only, so a production worker never needs it.
 */
export async function startDevMailSink(dir: string): Promise<{ url: string; dir: string; close(): Promise<void> }> {
  const { SMTPServer } = await loadSmtpServer();
  mkdirSync(dir, { recursive: true });
  let n = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        n += 1;
        writeFileSync(path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${n}.eml`), Buffer.concat(chunks));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, dir, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function loadSmtpServer(): Promise<typeof import('smtp-server')> {
  try {
    return await import('smtp-server');
  } catch (error) {
    throw new Error(`The development mail sink needs the development dependencies (npm install), or set SMTP_URL: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
