import { AppConfig } from '@app/config';

/** Placeholder replaced by the demo data set (issue 2). */
export async function seedDemo(_config: AppConfig): Promise<void> {
  throw new Error('seed-demo is not written yet');
}
