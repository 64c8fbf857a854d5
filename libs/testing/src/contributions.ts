import { contributionKey, replay, storedContributionsOf } from '@app/domain';
import { contributionOfRow, Database, decodeEvent, EventRow, StoredContributionRow } from '@app/persistence';

/**
 * The stored contributions of the given detainers (all when omitted) beside the domain's replay of
 * their events, each as sorted contribution keys: equal when the write path stored what the counting
 * rules say.
 */
export async function storedAndReplayedContributions(db: Database, detainerIds?: readonly string[]): Promise<{ stored: string[]; replayed: string[]; detainers: number }> {
  return db.read(async (sql) => {
    const filter = detainerIds ? 'WHERE detainer_id = ANY($1::uuid[])' : '';
    const params = detainerIds ? [detainerIds] : [];
    const events = await sql.query<EventRow>(`SELECT * FROM detainer_events ${filter} ORDER BY detainer_id, seq`, params);
    const streams = new Map<string, EventRow[]>();
    for (const e of events) streams.set(e.detainer_id, [...(streams.get(e.detainer_id) ?? []), e]);
    const replayed = [...streams.values()].flatMap((s) => storedContributionsOf(replay(s.map(decodeEvent)))).map(contributionKey).sort();
    const rows = await sql.query<StoredContributionRow>(`SELECT * FROM detainer_contributions ${filter}`, params);
    return { stored: rows.map((r) => contributionKey(contributionOfRow(r))).sort(), replayed, detainers: streams.size };
  });
}

/** Throws, naming the detainers and contributions that differ, unless every detainer's stored contributions equal its replay. */
export async function expectStoredContributionsEqualReplay(db: Database): Promise<void> {
  const { stored, replayed } = await storedAndReplayedContributions(db);
  const storedSet = new Set(stored);
  const replayedSet = new Set(replayed);
  const missing = replayed.filter((k) => !storedSet.has(k));
  const extra = stored.filter((k) => !replayedSet.has(k));
  if (missing.length === 0 && extra.length === 0 && stored.length === replayed.length) return;
  const lines = [...missing.map((k) => `replay has, not stored: ${k}`), ...extra.map((k) => `stored, not in replay: ${k}`)];
  throw new Error(`stored contributions differ from a replay of the events:\n  - ${lines.slice(0, 20).join('\n  - ')}${lines.length > 20 ? `\n  … and ${lines.length - 20} more` : ''}`);
}
