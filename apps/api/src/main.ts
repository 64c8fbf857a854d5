import 'reflect-metadata';
import { UserAdminService } from '@app/application';
import { DomainError } from '@app/domain';
import { loadConfigOrExit, redact } from '@app/config';
import { createApiApp } from './create-api-app';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await createApiApp(config);
  const admin = await app.get(UserAdminService).ensureFirstAdmin(config.admin).catch((error: unknown) => {
    if (error instanceof DomainError && error.code === 'invalid_input') {
      throw new Error(`ADMIN_USERNAME / ADMIN_PASSWORD cannot create the first admin: ${error.message}`);
    }
    throw error;
  });
  if (admin === 'created') console.log(`Created the first admin "${config.admin?.username}" from ADMIN_USERNAME.`);
  if (admin === 'not_configured') console.warn('No admin exists and ADMIN_USERNAME / ADMIN_PASSWORD are not set: no one can manage users yet.');
  await app.listen(config.port);
  console.log(`API listening on ${config.publicUrl} (docs: ${config.publicUrl}/docs; database ${redact(config.databaseUrl)})`);
}

main().catch((error: unknown) => {
  console.error('The API could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
