import { type ChangeEvent, useState } from 'react';
import { ApiError } from '../api/client';
import type { CustodyEventResult, CustodyEventResults } from '../api/types';
import { Badge, ErrorMessage, PageTitle } from '../components/page';
import { Link } from '../lib/router';
import { useSession } from '../lib/session';

const COLUMNS = 'eventId,kind,at,bookingNumber,facilityId,destination,toFacilityId,releaseAt,aNumber,fbiNumber,stateId';

const OUTCOME: Record<string, { label: string; tone: 'good' | 'neutral' | 'warn' | 'bad' }> = {
  applied: { label: 'Applied', tone: 'good' },
  duplicate: { label: 'Already received', tone: 'neutral' },
  no_open_detainer: { label: 'No open request', tone: 'warn' },
  rejected: { label: 'Rejected', tone: 'bad' },
};
const PREVIEW: Record<string, string> = {
  applied: 'Will be applied',
  duplicate: 'Already received: nothing will change',
  no_open_detainer: 'No open request has this booking number: kept, nothing changes',
  rejected: 'Will be rejected',
};

/**
 * For agencies without an integration: upload the jail's custody events as CSV, see what would
 * happen to each row (nothing is written), then apply them.
 */
export function CustodyUpload() {
  const { postText } = useSession();
  const [file, setFile] = useState<{ name: string; content: string } | null>(null);
  const [preview, setPreview] = useState<CustodyEventResult[] | null>(null);
  const [applied, setApplied] = useState<CustodyEventResult[] | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const choose = async (e: ChangeEvent<HTMLInputElement>) => {
    const chosen = e.target.files?.[0];
    setPreview(null);
    setApplied(null);
    setProblem(null);
    setFile(chosen ? { name: chosen.name, content: await chosen.text() } : null);
  };
  const send = async (mode: 'preview' | 'apply') => {
    if (!file) return;
    setBusy(true);
    setProblem(null);
    try {
      const res = await postText<CustodyEventResults>(`/api/v1/custody-events.csv${mode === 'preview' ? '?preview=true' : ''}`, 'text/csv', file.content);
      if (mode === 'preview') {
        setApplied(null);
        setPreview(res.results);
      } else {
        setApplied(res.results);
        setPreview(null);
      }
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };
  const rows = applied ?? preview;
  const counts = rows ? Object.entries(rows.reduce<Record<string, number>>((c, r) => ({ ...c, [r.outcome]: (c[r.outcome] ?? 0) + 1 }), {})) : [];

  return (
    <section className="custody-upload">
      <PageTitle title="Upload custody events">Upload custody events</PageTitle>
      <p>
        Bookings, release dates, releases and transfers from your jail system, one event a row. The first row names the columns:{' '}
        <code>{COLUMNS}</code> (<code>eventId</code>, <code>kind</code>, <code>at</code> and <code>bookingNumber</code> are required).
        Each row is applied as the same action on the request with that booking number; a row sent before changes nothing.
      </p>
      <div className="field">
        <label htmlFor="custody-file">CSV file</label>
        <input id="custody-file" type="file" accept=".csv,text/csv" onChange={(e) => void choose(e)} />
      </div>
      <div className="actions">
        <button type="button" disabled={!file || busy} onClick={() => void send('preview')}>Preview</button>
        {preview ? (
          <button type="button" className="primary" disabled={busy} onClick={() => void send('apply')}>
            Apply {preview.length} {preview.length === 1 ? 'event' : 'events'}
          </button>
        ) : null}
      </div>
      {problem ? <UploadProblem error={problem} /> : null}
      {rows ? (
        <>
          <p role="status" className={applied ? 'flash' : undefined}>
            {applied ? 'Applied. ' : 'Preview: nothing has been written yet. '}
            {counts.map(([o, n]) => `${n} ${(applied ? OUTCOME[o]?.label : PREVIEW[o]) ?? o}`).join('; ')}.
          </p>
          <div className="table-wrap">
            <table className="list custody-results">
              <caption className="visually-hidden">{applied ? 'What was done with each row' : 'What would happen to each row'}</caption>
              <thead>
                <tr>
                  <th scope="col">Row</th>
                  <th scope="col">Event</th>
                  <th scope="col">{applied ? 'Outcome' : 'Would be'}</th>
                  <th scope="col">Request</th>
                  <th scope="col">Why</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r, i) => (
                  <tr key={`${i}-${r.eventId}`}>
                    <td>{i + 1}</td>
                    <td>{r.eventId}</td>
                    <td><Badge tone={OUTCOME[r.outcome]?.tone ?? 'neutral'}>{applied ? OUTCOME[r.outcome]?.label ?? r.outcome : PREVIEW[r.outcome] ?? r.outcome}</Badge></td>
                    <td>{r.detainerId ? <Link to={`/detainers/${r.detainerId}`}>Open the detainer</Link> : '—'}</td>
                    <td>{r.error ? r.error.message : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </section>
  );
}

/** A file the server could not read at all: which rows and columns, so it can be fixed before anything is applied. */
function UploadProblem({ error }: { error: unknown }) {
  if (!(error instanceof ApiError) || error.status !== 400) return <ErrorMessage error={error} />;
  return (
    <div className="error-summary" role="alert">
      <p>Nothing was applied: fix the file and preview it again.</p>
      <ul>
        {error.fields.map((f) => (
          <li key={`${f.field}-${f.message}`}>
            <strong>{f.field}</strong>: {f.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
