import { query } from '../api/client';
import type { JurisdictionProfile as Profile } from '../api/types';
import { Badge, ErrorMessage, Loading, PageTitle } from '../components/page';
import { humanize } from '../lib/labels';
import { Link, navigate, useLocation } from '../lib/router';
import { useLoad, useSession } from '../lib/session';

type Key = keyof Profile['measured'];
type Ratio = Profile['measured']['custodyToIce'];

/** The measures in the order the page shows them, the agency's side first, then the federal side's. */
const MEASURES: { key: Key; title: string; side: 'agency' | 'federal' }[] = [
  { key: 'acknowledgedWithin24h', title: 'Acknowledged within 24 hours', side: 'agency' },
  { key: 'notifiedAtLeast48h', title: 'Releases notified at least 48 hours ahead', side: 'agency' },
  { key: 'holdsHonored', title: 'Holds honored when asked', side: 'agency' },
  { key: 'custodyToIce', title: 'Custody to ICE', side: 'agency' },
  { key: 'declined', title: 'Declined', side: 'agency' },
  { key: 'missedPickups', title: 'Missed pickups (federal side)', side: 'federal' },
  { key: 'misdirected', title: 'Misdirected requests (federal side)', side: 'federal' },
  { key: 'cancelledIssuedInError', title: 'Cancelled as issued in error (federal side)', side: 'federal' },
];
const CERTIFICATION_LABELS: Record<string, string> = {
  facility_access: 'Federal access to the facility',
  release_notice_48h: 'At least 48 hours’ notice of release',
  hold_48h: 'Holding up to 48 hours on request',
};
/** The stored contributions each measure is counted from: a dispute on a record counted there shows on that measure's row. */
const COUNTED_FROM: Record<Key, readonly string[]> = {
  acknowledgedWithin24h: ['lodged'],
  notifiedAtLeast48h: ['release_notice'],
  holdsHonored: ['concluded'],
  custodyToIce: ['concluded'],
  declined: ['concluded'],
  missedPickups: ['concluded'],
  misdirected: ['excluded', 'issued'],
  cancelledIssuedInError: ['excluded', 'issued'],
};
const KIND_LABELS: Record<string, string> = { refused: 'refused', no_notice: 'released without notice', hold_refused: 'released before the hold ended' };

/** `4 of 10 (40 %)`, or "no cases" when nothing could be counted: never 0 %. */
export function ratioInWords(r: Ratio): string {
  return r.rate === null ? 'no cases' : `${r.numerator} of ${r.denominator} (${Math.round(r.rate * 100)} %)`;
}

/** One measure's rate week by week, as a line; weeks with no cases are gaps, not zeros. */
function Trend({ title, points }: { title: string; points: { weekStart: string; counted: boolean; r: Ratio }[] }) {
  const width = 520;
  const height = 90;
  const step = points.length > 1 ? width / (points.length - 1) : 0;
  const y = (rate: number) => 8 + (1 - rate) * (height - 16);
  const segments: string[][] = [[]];
  points.forEach((p, i) => {
    if (p.r.rate === null) {
      if (segments.at(-1)!.length) segments.push([]);
      return;
    }
    segments.at(-1)!.push(`${(i * step).toFixed(1)},${y(p.r.rate).toFixed(1)}`);
  });
  const withCases = points.filter((p) => p.r.rate !== null);
  const summary = withCases.length === 0 ? 'no cases in any week' : withCases.map((p) => `${p.weekStart}: ${ratioInWords(p.r)}`).join('; ');
  return (
    <figure className="chart trend">
      <figcaption>{title}, week by week</figcaption>
      <svg viewBox={`-6 0 ${width + 12} ${height}`} role="img" aria-label={`${title}, ${points.length} weeks. ${summary}`} preserveAspectRatio="none">
        <line x1={0} x2={width} y1={y(1)} y2={y(1)} className="axis" />
        <line x1={0} x2={width} y1={y(0)} y2={y(0)} className="axis" />
        {segments.filter((s) => s.length > 1).map((s, i) => <polyline key={i} points={s.join(' ')} className="trend-line" />)}
        {points.map((p, i) => (p.r.rate === null ? null : <circle key={p.weekStart} cx={i * step} cy={y(p.r.rate)} r={2.5} className="trend-dot" />))}
      </svg>
      <p className="legend">
        {points.length ? <span className="trend-span">{points[0].weekStart} to {points.at(-1)!.weekStart}</span> : null}{' '}
        100 % at the top, 0 % at the bottom; a gap is a week with no cases.
      </p>
    </figure>
  );
}

export function JurisdictionProfile({ id }: { id: string }) {
  const { session, get } = useSession();
  const location = useLocation();
  const role = session.me.role;
  const mayLive = role === 'supervisor' || role === 'admin' || role === 'jail_staff';
  const live = mayLive && location.search.get('live') === 'true';
  const weeks = Number(location.search.get('weeks') ?? 52);
  const profile = useLoad((signal) => get<Profile>(`/api/v1/jurisdictions/${id}/profile${query({ weeks, ...(live && { live: 'true' }) })}`, { signal }), [id, weeks, live]);

  if (profile.loading && !profile.data) return <Loading what="Loading the profile" />;
  if (profile.error && !profile.data) {
    return (
      <>
        <PageTitle title="Jurisdiction">Jurisdiction</PageTitle>
        <ErrorMessage error={profile.error} retry={profile.reload} />
        <p><Link to="/reports">Weekly reports</Link></p>
      </>
    );
  }
  const p = profile.data!;
  const j = p.jurisdiction;
  const switchTo = (next: { weeks?: number; live?: boolean }) =>
    navigate(`/jurisdictions/${id}${query({ weeks: next.weeks ?? weeks, ...((next.live ?? live) && { live: 'true' }) })}`);

  return (
    <>
      <PageTitle title={`${j.name}, ${j.state}`}>{j.name}, {j.state} <span className="muted">[{j.code}]</span></PageTitle>
      <p className="lead">
        Cooperation as declared and as measured, over {p.weeks.count} week{p.weeks.count === 1 ? '' : 's'} ({p.weeks.firstWeekStart} to {p.weeks.lastWeekEnd}, {p.weeks.timeZone}),{' '}
        {p.basis === 'live' ? <Badge tone="info">live figures</Badge> : <>from published weeks only ({p.weeks.counted} of {p.weeks.count} published)</>}.
      </p>
      <div className="action-buttons">
        <label>
          Weeks{' '}
          <select value={weeks} onChange={(e) => switchTo({ weeks: Number(e.target.value) })}>
            {[4, 12, 26, 52].map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
        </label>
        {mayLive ? (
          <button type="button" onClick={() => switchTo({ live: !live })}>{live ? 'Show published figures' : 'Show live figures'}</button>
        ) : null}
      </div>

      {p.disagreements.length ? (
        <section aria-labelledby="disagree" className="notice" role="note">
          <h2 id="disagree">Where declared and measured disagree</h2>
          <ul>{p.disagreements.map((d) => <li key={d}>{d}</li>)}</ul>
        </section>
      ) : null}

      <div className="side-by-side">
        <section aria-labelledby="declared">
          <h2 id="declared">Declared</h2>
          <h3>Policies in force in these weeks</h3>
          {p.declared.policies.length === 0 ? <p className="muted">None in force.</p> : (
            <ul>{p.declared.policies.map((x) => (
              <li key={x.id}>
                <strong>{x.citation}</strong> ({humanize(x.kind)}), from {x.effectiveFrom}{x.effectiveTo ? ` to ${x.effectiveTo}` : ''}: {x.summary}
                {[x.limitsHold && 'limits holds', x.limitsNotification && 'limits notification', x.limitsAccess && 'limits access'].filter(Boolean).length
                  ? <span className="muted"> ({[x.limitsHold && 'limits holds', x.limitsNotification && 'limits notification', x.limitsAccess && 'limits access'].filter(Boolean).join(', ')})</span> : null}
              </li>
            ))}</ul>
          )}
          <h3>287(g)</h3>
          {p.declared.program287g.length === 0 ? <p className="muted">No agency of this jurisdiction has a 287(g) agreement.</p> : (
            <ul>{p.declared.program287g.map((a) => (
              <li key={a.id}>{a.name} ({a.ori}): {humanize(a.program287g)}{a.since ? `, since ${a.since}` : ''}{a.until ? `, until ${a.until}` : ''}{a.inForce ? '' : ' (not in force in these weeks)'}</li>
            ))}</ul>
          )}
          <h3>Public Safety Partnership certifications</h3>
          {p.declared.certifications.length === 0 ? <p className="muted">None.</p> : (
            <ul>{p.declared.certifications.map((c) => (
              <li key={c.id}>
                {CERTIFICATION_LABELS[c.kind] ?? c.kind}: certified {c.certifiedOn}{c.expiresOn ? `, ${c.status === 'expired' ? 'expired' : 'expires'} ${c.expiresOn}` : ''}{' '}
                <Badge tone={c.status === 'in_force' ? 'good' : 'neutral'}>{humanize(c.status)}</Badge>
                <div className="muted">Source: {c.source}</div>
              </li>
            ))}</ul>
          )}
        </section>

        <section aria-labelledby="measured">
          <h2 id="measured">Measured</h2>
          <div className="table-wrap">
          <table className="list measures">
            <caption className="visually-hidden">Measured practice over these weeks</caption>
            <thead><tr><th scope="col">Measure</th><th scope="col">Figure</th></tr></thead>
            <tbody>
              {MEASURES.map((m) => {
                const r = p.measured[m.key];
                const disputed = p.disputes.filter((d) => d.status === 'open' && d.measures.some((x) => COUNTED_FROM[m.key].includes(x))).length;
                return (
                  <tr key={m.key} data-measure={m.key}>
                    <th scope="row">
                      {m.title}
                      <div className="hint">{p.definitions[m.key]}</div>
                    </th>
                    <td>
                      {ratioInWords(r)}
                      {m.key === 'declined' && r.numerator > 0
                        ? <div className="muted">{Object.entries(p.measured.declined.byKind).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${KIND_LABELS[k] ?? k}`).join(', ')}</div>
                        : null}
                      {disputed ? <div><a href="#disputes" className="dispute-flag">{disputed} disputed</a></div> : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          </div>
          <ul className="hint">{p.notes.map((n) => <li key={n}>{n}</li>)}</ul>
        </section>
      </div>

      <section aria-labelledby="trends">
        <h2 id="trends">Trends</h2>
        <div className="charts">
          {MEASURES.map((m) => <Trend key={m.key} title={m.title} points={p.trend.map((t) => ({ weekStart: t.weekStart, counted: t.counted, r: t.measured[m.key] }))} />)}
        </div>
      </section>

      <section aria-labelledby="disputes">
        <h2 id="disputes">Disputes on these records</h2>
        {p.disputes.length === 0 ? <p className="muted">No agency disputes a record counted here.</p> : (
          <ul>{p.disputes.map((d) => (
            <li key={`${d.caseRef}-${d.openedAt}`}>
              {d.detainerId ? <Link to={`/detainers/${d.detainerId}`}>{d.caseRef}</Link> : d.caseRef} ({d.agencyOri}), counted in {d.measures.map(humanize).join(', ').toLowerCase()}:{' '}
              <Badge tone={d.status === 'open' ? 'warn' : 'neutral'}>{humanize(d.status)}</Badge>
              {d.reason ? <> “{d.reason}”</> : null}
              {d.correction ? <span className="muted"> ({humanize(d.correction)})</span> : null}
            </li>
          ))}</ul>
        )}
      </section>
    </>
  );
}
