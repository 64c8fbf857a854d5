import { type SubmitEvent, useEffect, useRef, useState } from 'react';
import { currentSession, query } from '../api/client';
import type { ChangeList, DrillDownItem, Page, ReportWeekList, WeeklyReport } from '../api/types';
import { BarChart } from '../components/charts';
import { LocalTime } from '../components/detainer-bits';
import { errorsFromApi, ErrorSummary, type FormErrors, NO_ERRORS, PublishTextCheckbox, TextAreaField } from '../components/forms';
import { Badge, ErrorMessage, Flash, flashNext, Loading, PageTitle } from '../components/page';
import { DECLINE_KIND_LABELS, EVENT_LABELS, humanize, label } from '../lib/labels';
import { AGE_BUCKET_LABELS, ageBars, causeInWords, figureChangeInWords, reasonsOf } from '../lib/report-words';
import { Link, navigate, useLocation } from '../lib/router';
import { useLoad, useSession } from '../lib/session';

// ------------------------------------------------------------------ shapes (GET /api/v1/reports/weekly...), from the API's document

type Report = WeeklyReport;
type Figures = Report['totals'];
type JurisdictionRow = Report['jurisdictions'][number];
type Reconciliation = Report['reconciliation'][number];
type Contribution = DrillDownItem;

const MEASURE_OF: Record<string, string> = {
  issued: 'issued', declined: 'declined', honored: 'honored', missedPickups: 'missed_pickup', shortNotices: 'short_notice', excluded: 'excluded',
};
/** The counts an analyst follows to the drill-down (declines lead to Section II instead). */
const ANALYST_MEASURES = new Set(['issued', 'honored']);
const TOTALS: { key: keyof Figures & keyof Report['labels']; title: string }[] = [
  { key: 'issued', title: 'Issued' },
  { key: 'declined', title: 'Declined' },
  { key: 'honored', title: 'Honored' },
  { key: 'missedPickups', title: 'Missed pickups' },
  { key: 'shortNotices', title: 'Short notices' },
  { key: 'excluded', title: 'Excluded' },
];
const KIND_CHART_LABELS: Record<string, string> = { refused: 'Refused', no_notice: 'Released without notice', hold_refused: 'Released before hold ended' };
const AGE_LABELS = AGE_BUCKET_LABELS;

/** What a version is, said where one is published or chosen. */
const VERSION_MEANS =
  'A version is the week’s figures frozen as published: it never changes. A correction (a late record, an upheld dispute) is published as the next version, with what changed and why; earlier versions stay readable.';

const mayReadLive = (role: string) => role === 'supervisor' || role === 'admin';

/** `Sat 31 Jan – Fri 6 Feb 2026` from the week's local dates. */
function weekLabel(w: { weekStart: string; weekEnd: string }): string {
  const fmt = (d: string, year: boolean) =>
    new Date(`${d}T12:00:00Z`).toLocaleDateString('en-GB', { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short', ...(year ? { year: 'numeric' } : {}) });
  return `${fmt(w.weekStart, false)} – ${fmt(w.weekEnd, true)}`;
}

// ------------------------------------------------------------------ list of weeks

type WeekList = ReportWeekList;

export function Reports() {
  const { session, get } = useSession();
  const weeks = useLoad((signal) => get<WeekList>(`/api/v1/reports/weekly${query({ limit: 52 })}`, { signal }), []);
  const live = mayReadLive(session.me.role);
  return (
    <>
      <PageTitle title="Weekly reports">Weekly declined-detainer reports</PageTitle>
      <Flash />
      <p className="lead">Each week's report per jurisdiction. A published version never changes: a correction is published as a new version with what changed and why.</p>
      {live && weeks.data ? (
        <section className="actions" aria-labelledby="live-title">
          <h2 id="live-title">Live figures</h2>
          <p className="hint">
            Weeks run from {humanize(weeks.data.weekStartsOn.day)} {String(weeks.data.weekStartsOn.hour).padStart(2, '0')}:00 for seven days, in {weeks.data.weekStartsOn.timeZone}.
          </p>
          <div className="action-buttons">
            <Link className="button" to={`/reports/${weeks.data.lastClosedWeek.weekStart}?version=live`}>Last week, {weekLabel(weeks.data.lastClosedWeek)}</Link>
            <Link className="button" to={`/reports/${weeks.data.currentWeek.weekStart}?version=live`}>This week so far, {weekLabel(weeks.data.currentWeek)}</Link>
          </div>
        </section>
      ) : null}
      {weeks.loading && !weeks.data ? <Loading what="Loading the weeks" /> : null}
      {weeks.error ? <ErrorMessage error={weeks.error} retry={weeks.reload} /> : null}
      {weeks.data ? (
        weeks.data.items.length === 0 ? (
          <p role="status">No report weeks yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="list weeks">
              <caption className="visually-hidden">Report weeks, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Week</th>
                  <th scope="col">Published versions</th>
                  <th scope="col"><span className="visually-hidden">Open</span></th>
                </tr>
              </thead>
              <tbody>
                {weeks.data.items.map((w) => (
                  <tr key={w.weekStart}>
                    <td>
                      {weekLabel(w)}
                      <div className="muted">{w.timeZone}</div>
                    </td>
                    <td>
                      {w.versions.length === 0 ? <span className="muted">Not published</span> : null}
                      {w.versions.map((v) => (
                        <div key={v.version}>
                          <Link to={`/reports/${w.weekStart}?version=${v.version}`}>Version {v.version}</Link>, published <LocalTime at={v.publishedAt} zone={w.timeZone} />
                        </div>
                      ))}
                      {w.awaitingReroll ? <Badge tone="info">New records since the last roll-up</Badge> : null}
                    </td>
                    <td className="row-actions">
                      {w.latestVersion ? <Link className="button" to={`/reports/${w.weekStart}`}>Latest</Link> : null}
                      {live ? <Link className="button" to={`/reports/${w.weekStart}?version=live`}>Live figures</Link> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
    </>
  );
}

// ------------------------------------------------------------------ one week

interface Drill {
  measure: string;
  jurisdictionId?: string;
  title: string;
}

export function ReportPage({ weekStart }: { weekStart: string }) {
  const { session, get, post } = useSession();
  const location = useLocation();
  const version = location.search.get('version') ?? 'latest';
  const [drill, setDrill] = useState<Drill | null>(null);
  const [publishError, setPublishError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const report = useLoad((signal) => get<Report>(`/api/v1/reports/weekly/${weekStart}${query({ version })}`, { signal }), [weekStart, version]);
  const isSupervisor = session.me.role === 'supervisor';
  // Analysts read no detainer: they follow a published count to its de-identified cases only.
  const mayDrill = session.me.role !== 'analyst';

  const publish = async () => {
    setPublishError(null);
    setMessage(null);
    setConfirming(false);
    try {
      const published = await post<Report>(`/api/v1/reports/weekly/${weekStart}/publish`);
      if (published.version === report.data?.latestPublishedVersion) setMessage(`Nothing changed since version ${published.version}: no new version was published.`);
      else {
        flashNext(`Published version ${published.version}.`);
        navigate(`/reports/${weekStart}?version=${published.version}`);
      }
    } catch (error) {
      setPublishError(error);
    }
  };

  if (report.loading && !report.data) return <Loading what="Loading the report" />;
  if (report.error && !report.data) {
    return (
      <>
        <PageTitle title="Weekly report">Weekly report</PageTitle>
        <ErrorMessage error={report.error} retry={report.reload} />
        <p><Link to="/reports">All weeks</Link></p>
      </>
    );
  }
  const r = report.data!;
  const latest = r.status === 'published' ? Math.max(Number(r.version), r.latestPublishedVersion ?? 0) : (r.latestPublishedVersion ?? 0);
  const versions = Array.from({ length: latest }, (_, i) => i + 1);
  const open = (d: Drill) => setDrill(d);
  // Analysts follow a published decline count to its de-identified cases in Section II.
  const inSectionII = new Set(r.sections.II.jurisdictions.map((x) => x.jurisdictionId));
  // ... and its issued and honored counts to their de-identified cases (the drill-down without identities).
  const analystDrills = (measure: string) => !mayDrill && r.status === 'published' && ANALYST_MEASURES.has(measure);
  const drills = (measure: string) => (mayDrill && MEASURE_OF[measure] !== undefined) || analystDrills(measure);
  const count = (n: number, measure: string, j: JurisdictionRow | null, what: string) =>
    n > 0 && !mayDrill && measure === 'declined' && j && inSectionII.has(j.jurisdictionId) ? (
      <a href={`#s2-${j.code}`} className="count-link" aria-label={`${n} declined in ${j.name}, ${j.state}: the de-identified cases`}>{n}</a>
    ) : n > 0 && drills(measure) ? (
      <button type="button" className="count-link" onClick={() => open({ measure: MEASURE_OF[measure], jurisdictionId: j?.jurisdictionId, title: `${what}${j ? `: ${j.name}, ${j.state} [${j.code}]` : ', all jurisdictions'}` })}
        aria-label={`${n} ${what.toLowerCase()}${j ? ` in ${j.name}, ${j.state}` : ''}: show the cases`}>
        {n}
      </button>
    ) : (
      n
    );

  return (
    <>
      <PageTitle title={`Weekly report ${r.weekStart}`}>
        Weekly report <span className="subtitle">{weekLabel(r)}</span>
      </PageTitle>
      <Flash key={version} />
      <p className="status-line">
        {r.status === 'live' ? <Badge tone="warn">Live figures, not published</Badge> : <Badge tone="good">Version {String(r.version)}</Badge>}{' '}
        {r.publishedAt ? (
          <>
            Published <LocalTime at={r.publishedAt} zone={r.timeZone} withZone /> {r.publishedBy === 'system' ? 'automatically' : 'by a supervisor'}.{' '}
          </>
        ) : null}
        <span className="muted">{r.weekDefinition}</span>
      </p>
      {typeof r.version === 'number' && r.version > 1 ? (
        <Changes weekStart={weekStart} version={r.version} zone={r.timeZone} automatic={r.publishedBy === 'system'} />
      ) : r.publishedBy === 'system' ? (
        <p className="notice" role="note">Version {String(r.version)} was published automatically.</p>
      ) : null}
      <div className="report-bar">
        <label htmlFor="report-version">Version</label>{' '}
        <select id="report-version" value={String(r.version)} onChange={(e) => navigate(`/reports/${weekStart}?version=${e.target.value}`)}>
          {versions.map((v) => (
            <option key={v} value={String(v)}>Version {v}</option>
          ))}
          {mayReadLive(session.me.role) ? <option value="live">Live figures</option> : null}
        </select>{' '}
        <Download label="CSV" path={`/api/v1/reports/weekly/${weekStart}.csv${query({ version: String(r.version) })}`} file={`declined-detainers-${weekStart}-v${r.version}.csv`} />{' '}
        <Download label="PDF" path={`/api/v1/reports/weekly/${weekStart}.pdf${query({ version: String(r.version) })}`} file={`declined-detainers-${weekStart}-v${r.version}.pdf`} />{' '}
        <Link to="/reports">All weeks</Link>
      </div>
      {versions.length ? <p className="hint">{VERSION_MEANS}</p> : null}

      {isSupervisor && r.status === 'live' ? (
        <section className="actions" aria-labelledby="publish-title">
          <h2 id="publish-title">Publish</h2>
          {r.publishable?.ok ? (
            <p>
              The week has closed and nothing blocks publication. Publishing freezes these figures as a new version
              {latest ? `, unless nothing changed since version ${latest}` : ''}.
            </p>
          ) : (
            <>
              <p>Not publishable yet:</p>
              <ul>{(r.publishable?.blockers ?? []).map((b) => <li key={b}>{b}</li>)}</ul>
            </>
          )}
          <p className="hint">{VERSION_MEANS}</p>
          {message ? <p className="flash" role="status">{message}</p> : null}
          {publishError ? <ErrorMessage error={publishError} /> : null}
          {confirming ? (
            <div className="confirm" role="alertdialog" aria-labelledby="confirm-publish-title" aria-describedby="confirm-publish-text">
              <h3 id="confirm-publish-title">Publish version {latest + 1}?</h3>
              <p id="confirm-publish-text">
                Everyone who reads the report, analysts and the public included, will see these figures as version {latest + 1} of this week. It cannot be
                withdrawn or edited{latest ? `; version ${latest} stays readable beside it` : ''}.
              </p>
              <div className="form-actions">
                <ConfirmButton onClick={() => void publish()}>Publish version {latest + 1}</ConfirmButton>
                <button type="button" onClick={() => setConfirming(false)}>Not now</button>
              </div>
            </div>
          ) : (
            <button type="button" className="primary" onClick={() => { setConfirming(true); setMessage(null); }}>Publish…</button>
          )}
          <ReconciliationList weekStart={weekStart} rows={r.reconciliation} zone={r.timeZone} onConfirmed={() => void report.reload()} />
        </section>
      ) : null}

      <div className="totals" role="group" aria-label="Totals for the week">
        {TOTALS.map((t) => {
          const n = r.totals[t.key] as number;
          const body = (
            <>
              <span className="what">{t.title}</span>
              <span className="n">{n}</span>
              <span className="muted">{r.labels[t.key] ?? ''}</span>
            </>
          );
          return n > 0 && drills(t.key) ? (
            <button key={t.key} type="button" className="total" onClick={() => open({ measure: MEASURE_OF[t.key], title: `${t.title}, all jurisdictions` })}>
              {body}
            </button>
          ) : (
            <div key={t.key} className="total">{body}</div>
          );
        })}
      </div>

      {drill ? <DrillDown weekStart={weekStart} version={String(r.version)} drill={drill} onClose={() => setDrill(null)} identified={mayDrill} /> : null}

      <div className="charts">
        <BarChart title="Declines by kind" series={['Declines recorded this week']}
          bars={Object.entries(r.totals.declinedByKind).map(([k, v]) => ({ label: KIND_CHART_LABELS[k] ?? humanize(k), value: v }))} />
        <BarChart title="Declines by the detainer's age when recorded (days after issue)" series={['Declines recorded this week']}
          bars={ageBars(r.totals.declinedByAge)} />
        <BarChart title={r.sections.I.title} series={['Issued', 'Declined']}
          bars={r.sections.I.rows.map((row) => ({ label: `${row.name}, ${row.state}`, value: row.issued, value2: row.declined }))} />
        <BarChart title="Issued and declined, week by week" series={['Issued', 'Declined']}
          bars={r.trend.map((t) => ({ label: t.weekStart, value: t.issued, value2: t.declined }))} />
      </div>

      <section aria-labelledby="jurisdictions-title">
        <h2 id="jurisdictions-title">By jurisdiction</h2>
        {mayDrill ? <p className="hint">Select a count to see the cases behind it (only those you may read).</p> : (
          <p className="hint">Select a decline count to see its de-identified cases (Section II), or an issued or honored count of a published version to see its de-identified cases.</p>
        )}
        <div className="table-wrap" role="region" aria-label="Figures per jurisdiction (scrolls sideways)" tabIndex={0}>
          <table className="list jurisdictions">
            <caption className="visually-hidden">Figures per jurisdiction, by canonical code</caption>
            <thead>
              <tr>
                <th scope="col">Jurisdiction</th>
                <th scope="col" className="num" title={r.labels.issued}>Issued</th>
                <th scope="col" className="num" title={r.labels.declined}>Declined</th>
                <th scope="col" className="num" title={r.labels.honored}>Honored</th>
                <th scope="col" className="num" title={r.labels.missedPickups}>Missed pickups</th>
                <th scope="col" className="num" title={r.labels.shortNotices}>Short notices</th>
                <th scope="col" className="num" title={r.labels.excluded}>Excluded</th>
                <th scope="col" className="num" title={r.labels.unacknowledged}>Unacknowledged</th>
                <th scope="col" className="num" title={r.labels.disputed}>Disputed</th>
              </tr>
            </thead>
            <tbody>
              {r.jurisdictions.map((j) => (
                <tr key={j.jurisdictionId}>
                  <th scope="row">
                    {j.name}, {j.state} <span className="muted">[{j.code}]</span>
                    {j.restrictivePolicy ? <> <Badge tone="info">Restrictive policy</Badge></> : null}
                    {j.reconciliationFlagged ? <> <Badge tone="warn">Reconciliation flag</Badge></> : null}
                  </th>
                  <td className="num">{count(j.issued, 'issued', j, 'Issued')}</td>
                  <td className="num">{count(j.declined, 'declined', j, 'Declined')}</td>
                  <td className="num">{count(j.honored, 'honored', j, 'Honored')}</td>
                  <td className="num">{count(j.missedPickups, 'missedPickups', j, 'Missed pickups')}</td>
                  <td className="num">{count(j.shortNotices, 'shortNotices', j, 'Short notices')}</td>
                  <td className="num">{count(j.excluded, 'excluded', j, 'Excluded')}</td>
                  <td className="num">{j.unacknowledged}</td>
                  <td className="num">{j.disputed}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <Sections r={r} />
    </>
  );
}

/** CSV and PDF need the token for live figures, so they are fetched and handed to the browser as a file. */
function Download({ label: text, path, file }: { label: string; path: string; file: string }) {
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  const download = async () => {
    setBusy(true);
    setFailed(null);
    try {
      const token = currentSession()?.token;
      const res = await fetch(path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
      if (!res.ok) throw new Error(`The server answered ${res.status}.`);
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = file;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      setFailed(error instanceof Error ? error.message : String(error));
    }
    setBusy(false);
  };
  return (
    <>
      <button type="button" onClick={() => void download()} disabled={busy}>Download {text}</button>
      {failed ? <span className="field-error" role="alert"> {text}: {failed}</span> : null}
    </>
  );
}

function DrillDown({ weekStart, version, drill, onClose, identified }: { weekStart: string; version: string; drill: Drill; onClose: () => void; identified: boolean }) {
  const { get } = useSession();
  const title = useRef<HTMLHeadingElement>(null);
  useEffect(() => title.current?.focus(), [drill]);
  const cases = useLoad(
    (signal) =>
      get<Page<Contribution>>(`/api/v1/reports/weekly/${weekStart}/detainers${query({ version, measure: drill.measure, jurisdictionId: drill.jurisdictionId, limit: 200 })}`, { signal }),
    [weekStart, version, drill.measure, drill.jurisdictionId],
  );
  return (
    <section className="drill" aria-labelledby="drill-title">
      <h2 id="drill-title" tabIndex={-1} ref={title}>Cases: {drill.title}</h2>
      {cases.loading && !cases.data ? <Loading what="Loading the cases" /> : null}
      {cases.error ? <ErrorMessage error={cases.error} /> : null}
      {cases.data ? (
        cases.data.items.length === 0 ? (
          <p role="status">None of these cases is within what you may read.</p>
        ) : (
          <div className="table-wrap">
            <table className="list">
              <caption className="visually-hidden">The cases behind the count</caption>
              <thead>
                <tr>
                  <th scope="col">Case</th>
                  <th scope="col">When</th>
                  <th scope="col">Agency</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
                {cases.data.items.map((c) => (
                  <tr key={`${c.caseRef}-${c.measure}`}>
                    <td>{identified && c.detainerId ? <Link to={`/detainers/${c.detainerId}`}>{c.caseRef}</Link> : c.caseRef}</td>
                    <td><LocalTime at={c.at} zone={c.timeZone} /></td>
                    <td>{c.agencyOri} <span className="muted">[{c.jurisdictionCode}]</span></td>
                    <td>
                      {[c.declineKind ? label(DECLINE_KIND_LABELS, c.declineKind) : '', c.ageBucket ? AGE_LABELS[c.ageBucket] ?? c.ageBucket : '', c.exclusion ? humanize(c.exclusion) : '', c.source ? humanize(c.source) : '']
                        .filter(Boolean)
                        .join('; ')}
                      {c.disputed ? <> <Badge tone="warn">Disputed</Badge></> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
      {cases.data?.nextCursor ? <p className="muted">Showing the first 200.</p> : null}
      <button type="button" onClick={onClose}>Close the cases</button>
    </section>
  );
}

function ReconciliationList({ weekStart, rows, zone, onConfirmed }: { weekStart: string; rows: Reconciliation[]; zone: string; onConfirmed: () => void }) {
  const flagged = rows.filter((r) => r.flagged);
  if (flagged.length === 0) return null;
  return (
    <>
      <h3>Issued but not acknowledged as received</h3>
      <p className="hint">Each flagged agency blocks publication until a supervisor confirms what the agency says it received.</p>
      {flagged.map((r) => (
        <ConfirmReconciliation key={r.agencyId} weekStart={weekStart} row={r} zone={zone} onConfirmed={onConfirmed} />
      ))}
    </>
  );
}

function ConfirmReconciliation({ weekStart, row, zone, onConfirmed }: { weekStart: string; row: Reconciliation; zone: string; onConfirmed: () => void }) {
  const { post } = useSession();
  const [note, setNote] = useState('');
  const [notePublic, setNotePublic] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const id = `confirm-${row.agencyId}`;
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    if (!note.trim()) { setErrors({ fields: { note: ['Say what the agency confirmed, or why the surplus stands.'] }, general: [] }); return; }
    try {
      await post(`/api/v1/reports/weekly/${weekStart}/reconciliation/${row.agencyId}/confirm`, { note: note.trim(), notePublic });
      setErrors(NO_ERRORS);
      onConfirmed();
    } catch (error) {
      setErrors(errorsFromApi(error, (f) => f === 'note'));
    }
  };
  return (
    <form className="reconcile" onSubmit={(e) => void submit(e)} noValidate aria-label={`Confirm ${row.name}`}>
      <p>
        <strong>{row.name}</strong> ({row.ori}): {row.issued} issued, {row.acknowledged} acknowledged, {row.unacknowledged} not acknowledged.
        {row.confirmation ? <> Confirmed <LocalTime at={row.confirmation.confirmedAt} zone={zone} />{row.confirmation.note ? <>: {row.confirmation.note}</> : null}</> : null}
      </p>
      <ErrorSummary errors={errors} idOf={(f) => `${id}-${f}`} title="Not confirmed" />
      <TextAreaField id={`${id}-note`} label="What the agency confirmed" value={note} onChange={setNote} required errors={errors.fields.note} maxLength={2000} />
      <PublishTextCheckbox id={`${id}-note-public`} checked={notePublic} onChange={setNotePublic} />
      <button type="submit">Confirm {row.ori}</button>
    </form>
  );
}

function Sections({ r }: { r: Report }) {
  const { I, II, III, IV } = r.sections;
  return (
    <>
      <section aria-labelledby="s1">
        <h2 id="s1">{I.title}</h2>
        <p className="hint">{I.label}</p>
        {I.rows.length === 0 ? <p className="muted">None.</p> : (
          <ol>{I.rows.map((row) => <li key={row.jurisdictionId}><Link to={`/jurisdictions/${row.jurisdictionId}`}>{row.name}, {row.state} [{row.code}]</Link>: {row.issued} issued, {row.declined} declined{row.citations.length ? `; ${row.citations.join('; ')}` : ''}</li>)}</ol>
        )}
      </section>
      <section aria-labelledby="s2">
        <h2 id="s2">{II.title}</h2>
        <p className="hint">{II.label}</p>
        {II.jurisdictions.length === 0 ? <p className="muted">None.</p> : II.jurisdictions.map((j) => (
          <div key={j.jurisdictionId} id={`s2-${j.code}`}>
            <h3>{j.name}, {j.state} [{j.code}]: {j.declined} declined</h3>
            <div className="table-wrap">
              <table className="list">
                <caption className="visually-hidden">Declines recorded in {j.name}, {j.state}</caption>
                <thead><tr><th scope="col">Case</th><th scope="col">Citizenship</th><th scope="col">Issued</th><th scope="col">Declined</th><th scope="col">Kind</th><th scope="col">Most serious charge</th></tr></thead>
                <tbody>
                  {j.cases.map((c) => (
                    <tr key={c.caseRef}>
                      <td>{c.caseRef}{c.disputed ? <> <Badge tone="warn">Disputed</Badge></> : null}</td>
                      <td>{c.citizenship}</td>
                      <td>{c.issuedDate}</td>
                      <td>{c.declinedDate}</td>
                      <td>{label(DECLINE_KIND_LABELS, c.declineKind)}; {AGE_LABELS[c.ageBucket] ?? c.ageBucket}</td>
                      <td>{c.mostSeriousCharge ? `${c.mostSeriousCharge.description} (${c.mostSeriousCharge.level}, ${c.mostSeriousCharge.status})` : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        ))}
      </section>
      <section aria-labelledby="s3">
        <h2 id="s3">{III.title}</h2>
        <p className="hint">{III.label}</p>
        {III.jurisdictions.length === 0 ? <p className="muted">None.</p> : (
          <ul>{III.jurisdictions.map((j) => <li key={j.jurisdictionId}><strong><Link to={`/jurisdictions/${j.jurisdictionId}`}>{j.name}, {j.state} [{j.code}]</Link></strong>: {j.policies.map((p) => `${p.citation} (from ${p.effectiveFrom}${p.effectiveTo ? ` to ${p.effectiveTo}` : ''})`).join('; ')}</li>)}</ul>
        )}
      </section>
      <section aria-labelledby="s4">
        <h2 id="s4">{IV.title}</h2>
        <PublicRecord r={r} />
        <ul>{IV.countingRules.map((rule) => <li key={rule}>{rule}</li>)}</ul>
      </section>
    </>
  );
}

/** How much of the week comes from the federal release (ICE's FOIA records), from which file, and what of it could not be counted. */
function PublicRecord({ r }: { r: Report }) {
  const p = r.sections.IV.fidelity.publicRecord;
  if (!p) return <p className="muted">No federal release has been imported.</p>;
  const imported = p.importedThisWeek.reduce((n, f) => n + f.detainers, 0);
  const quarantined = Object.entries(p.quarantinedThisWeek).filter(([, n]) => (n ?? 0) > 0);
  return (
    <div aria-label="From the federal release">
      <h3>From the federal release</h3>
      <p>
        {imported === 0 ? 'None of this week\'s detainers is imported.' : `${imported} of this week's ${r.totals.issued + r.totals.excluded} detainers (issued or excluded) are imported from the federal release:`}
      </p>
      {p.importedThisWeek.length > 0 ? (
        <ul>{p.importedThisWeek.map((f) => <li key={f.sha256}>{f.fileName}: {f.detainers} <span className="muted">(sha256 {f.sha256.slice(0, 12)}…)</span></li>)}</ul>
      ) : null}
      <p>
        Release rows prepared this week and not counted (quarantined): {quarantined.length === 0 ? 'none' : quarantined.map(([reason, n]) => `${n} ${reason.replace(/_/g, ' ')}`).join(', ')}.
        {' '}In no week: {p.declinesWithoutDate} imported declines with no lift date, {p.quarantinedUndated} quarantined rows with no readable prepare date.
      </p>
    </div>
  );
}

/** The confirming button of an irreversible step takes focus, so Enter or Escape-then-Tab are deliberate. */
function ConfirmButton({ onClick, children }: { onClick: () => void; children: React.ReactNode }) {
  const ref = useRef<HTMLButtonElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return <button ref={ref} type="button" className="primary" onClick={onClick}>{children}</button>;
}

/**
 * What changed in this version since the previous one, in words, near the top of the page; for a
 * version the service published by itself, why ("version 3 published automatically: a dispute was upheld").
 */
function Changes({ weekStart, version, zone, automatic }: { weekStart: string; version: number; zone: string; automatic: boolean }) {
  const { get } = useSession();
  const changes = useLoad((signal) => get<ChangeList>(`/api/v1/reports/weekly/${weekStart}/versions/${version}/changes`, { signal }), [weekStart, version]);
  const c = changes.data;
  const why = c ? reasonsOf(c) : null;
  return (
    <section aria-labelledby="changes-title" className="changes-box">
      {automatic ? (
        <p className="notice" role="note">
          <strong>Version {version} published automatically{why ? `: ${why}` : ''}.</strong> A correction to figures already published is published
          at once as a new version; version {version - 1} stays readable.
        </p>
      ) : null}
      <h2 id="changes-title">What changed in version {version}</h2>
      {changes.loading && !c ? <Loading what="Loading the changes" /> : null}
      {changes.error ? <ErrorMessage error={changes.error} /> : null}
      {c ? (
        <>
          {c.figures.length === 0 ? <p>No figure changed since version {c.previousVersion}.</p> : (
            <ul className="change-list">
              {c.figures.map((f, i) => <li key={i}>{figureChangeInWords(f)}</li>)}
            </ul>
          )}
          {c.records.length ? (
            <details>
              <summary>The {c.records.length} record{c.records.length === 1 ? '' : 's'} behind the changes</summary>
              <ul>
                {c.records.map((rec, i) => (
                  <li key={i}>
                    Case {rec.caseRef} ({rec.jurisdictionCode}), {humanize(rec.measure).toLowerCase()}: {rec.change === 'added' ? 'now counted' : rec.change === 'removed' ? 'no longer counted' : 'counted differently'}
                    {rec.because.length ? (
                      <>, because {rec.because.map((b, j) => (
                        <span key={j}>{j ? '; ' : ''}{causeInWords(b)} (<span className="muted">{label(EVENT_LABELS, b.kind)}</span>, recorded <LocalTime at={b.recordedAt} zone={zone} withZone />)</span>
                      ))}</>
                    ) : null}
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
