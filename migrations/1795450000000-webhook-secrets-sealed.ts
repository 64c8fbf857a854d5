import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { loadConfig } from '../libs/config/src/config';

/**
 * Webhook signing secrets are sealed at rest (AES-256-GCM under the configured encryption key, bound
 * to the webhook's id), as second-factor secrets already are: a copy of the database alone no longer
 * lets anyone forge a signed delivery to an agency's system.
 *
 * Existing rows are sealed here with the key of the environment the migration runs in, the same key
 * the service opens them with. The format is spelled out below rather than imported, so that this
 * migration keeps producing what it produced when it was written.
 */
export class WebhookSecretsSealed1795450000000 implements MigrationInterface {
  name = 'WebhookSecretsSealed1795450000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE webhooks ADD COLUMN secret_sealed text`);
    const rows = (await q.query(`SELECT id, secret FROM webhooks ORDER BY id`)) as { id: string; secret: string }[];
    if (rows.length > 0) {
      const key = encryptionKey();
      for (const r of rows) await q.query(`UPDATE webhooks SET secret_sealed = $2 WHERE id = $1`, [r.id, seal(key, r.secret, `webhook:${r.id}`)]);
    }
    await q.query(`
      ALTER TABLE webhooks ALTER COLUMN secret_sealed SET NOT NULL;
      ALTER TABLE webhooks ADD CONSTRAINT webhooks_secret_sealed_check CHECK (secret_sealed LIKE 'v1.%');
      ALTER TABLE webhooks DROP COLUMN secret;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE webhooks ADD COLUMN secret text`);
    const rows = (await q.query(`SELECT id, secret_sealed FROM webhooks ORDER BY id`)) as { id: string; secret_sealed: string }[];
    if (rows.length > 0) {
      const key = encryptionKey();
      for (const r of rows) await q.query(`UPDATE webhooks SET secret = $2 WHERE id = $1`, [r.id, open(key, r.secret_sealed, `webhook:${r.id}`)]);
    }
    await q.query(`
      ALTER TABLE webhooks ALTER COLUMN secret SET NOT NULL;
      ALTER TABLE webhooks DROP COLUMN secret_sealed;
    `);
  }
}

function encryptionKey(): Buffer {
  return loadConfig(process.env).security.encryptionKey;
}

function seal(key: Buffer, plain: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

function open(key: Buffer, sealed: string, context: string): string {
  const [, iv, tag, body] = sealed.split('.');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}
