import { type SubmitEvent, useEffect, useRef, useState } from 'react';
import { query } from '../api/client';
import type { Detainer, Page, RecordDispute } from '../api/types';
import { LocalTime, subjectName } from '../components/detainer-bits';
import {
  addFieldError, errorsFromApi, ErrorSummary, type FormErrors, hasErrors, NO_ERRORS, PublishTextCheckbox, RadioGroup, SelectField, TextAreaField,
} from '../components/forms';
import { Badge, ErrorMessage, Flash, Loading, PageTitle } from '../components/page';
import { humanize } from '../lib/labels';
import { Link, navigate, useLocation } from '../lib/router';
import { useLoad, useSession } from '../lib/session';

/** GET /api/v1/disputes: an agency contests a record about it; a supervisor of the area decides. */
export type { RecordDispute };

const CORRECTIONS = [
  { value: 'retract_decline', label: 'Retract the decline: the lodging no longer counts as declined' },
  { value: 'exclude_record', label: 'Exclude the record: the detainer counts in no figure' },
];

const STATUS_TONE = { open: 'warn', upheld: 'good', rejected: 'neutral' } as const;

/** Supervisors decide disputes; jail staff and officers follow them. Oldest first. */
export function Disputes() {
  const { session, get } = useSession();
  const location = useLocation();
  const status = location.search.get('status') ?? 'open';
  const disputes = useLoad(
    async (signal) => {
      const page = await get<Page<RecordDispute>>(`/api/v1/disputes${query({ status: status === 'all' ? undefined : status, limit: 100 })}`, { signal });
      // The facility's zone and the subject come with the detainer.
      const detainers = new Map<string, Detainer>();
      await Promise.all(
        [...new Set(page.items.map((d) => d.detainerId))].map(async (id) => {
          detainers.set(id, await get<Detainer>(`/api/v1/detainers/${id}`, { signal }));
        }),
      );
      return { ...page, detainers };
    },
    [status],
  );
  return (
    <>
      <PageTitle title="Disputes">Disputes</PageTitle>
      <Flash />
      <p className="lead">
        {session.me.role === 'supervisor'
          ? 'Agencies contest records about them here. Decide each one: an upheld dispute corrects the record through new events, and the report shows it as a new version.'
          : 'Disputes about records in your scope, and their decisions.'}
      </p>
      <SelectField id="dispute-status" label="Show" value={status} onChange={(v) => navigate(`/disputes${query({ status: v })}`)}
        options={[{ value: 'open', label: 'Awaiting a decision' }, { value: 'upheld', label: 'Upheld' }, { value: 'rejected', label: 'Rejected' }, { value: 'all', label: 'All' }]} />
      {status === 'open' || status === 'all' ? <IdentityClaims /> : null}
      <h2>Record disputes</h2>
      {disputes.loading && !disputes.data ? <Loading what="Loading disputes" /> : null}
      {disputes.error ? <ErrorMessage error={disputes.error} retry={disputes.reload} /> : null}
      {disputes.data ? (
        disputes.data.items.length === 0 ? (
          <p role="status">No record disputes here.</p>
        ) : (
          <ul className="disputes">
            {disputes.data.items.map((d) => (
              <DisputeItem key={d.id} dispute={d} detainer={disputes.data!.detainers.get(d.detainerId)} onDecided={() => void disputes.reload()} />
            ))}
          </ul>
        )
      ) : null}
    </>
  );
}

const CLAIM_LABELS = { citizenship: 'U.S. citizenship claimed', identity: 'Wrong person (identity disputed)' } as const;

/**
 * Citizenship and identity claims awaiting a decision: the detainers whose current lodging is
 * disputed (the disputes queue counts them with the record disputes). Deciding one is an action on
 * the detainer, so each links there when the caller may decide.
 */
function IdentityClaims() {
  const { get } = useSession();
  const claims = useLoad(
    async (signal) => {
      const page = await get<Page<Detainer>>(`/api/v1/detainers${query({ status: 'disputed', limit: 100 })}`, { signal });
      // The claim's note and time are events: read each detainer with its timeline and the caller's actions.
      return Promise.all(page.items.map((d) => get<Detainer>(`/api/v1/detainers/${d.id}`, { signal })));
    },
    [],
  );
  return (
    <section aria-labelledby="claims-title">
      <h2 id="claims-title">Citizenship and identity claims</h2>
      {claims.loading && !claims.data ? <Loading what="Loading claims" /> : null}
      {claims.error ? <ErrorMessage error={claims.error} retry={claims.reload} /> : null}
      {claims.data ? (
        claims.data.length === 0 ? (
          <p role="status">No citizenship or identity claim awaits a decision.</p>
        ) : (
          <ul className="disputes">
            {claims.data.map((d) => {
              const lodging = d.lodgings[d.lodgings.length - 1];
              const claim = [...(d.events ?? [])].reverse().find((e) => e.kind === 'citizenship_claimed' || e.kind === 'identity_disputed');
              const kind = lodging?.identityClaim ?? (claim?.kind === 'identity_disputed' ? 'identity' : 'citizenship');
              const mayDecide = d.allowedActions?.includes('decide_identity_claim');
              return (
                <li key={d.id} className="dispute">
                  <div>
                    <Badge tone="warn">Awaiting a decision</Badge> <strong>{CLAIM_LABELS[kind]}</strong>:{' '}
                    <Link to={`/detainers/${d.id}`}>the detainer on {subjectName(d.subject)}</Link> at {d.facility.name} ({d.agency.ori})
                  </div>
                  {claim ? <div className="muted">Claimed <LocalTime at={claim.occurredAt} zone={claim.timeZone ?? d.timeZone} withZone /></div> : null}
                  {claim && typeof claim.data.note === 'string' ? <blockquote>{claim.data.note}</blockquote> : null}
                  <p className="hint">Any hold is suspended until a supervisor decides: upheld cancels the detainer, rejected restores it.</p>
                  {mayDecide ? (
                    <Link className="button primary" to={`/detainers/${d.id}?action=decide_identity_claim`} aria-label={`Decide the claim on ${subjectName(d.subject)}`}>
                      Decide
                    </Link>
                  ) : null}
                </li>
              );
            })}
          </ul>
        )
      ) : null}
    </section>
  );
}

export function DisputeItem({ dispute: d, detainer, onDecided }: { dispute: RecordDispute; detainer: Detainer | undefined; onDecided: () => void }) {
  const { session } = useSession();
  const zone = detainer?.lodgings.find((l) => l.seq === d.lodging)?.timeZone ?? detainer?.timeZone ?? 'UTC';
  return (
    <li className="dispute">
      <div>
        <Badge tone={STATUS_TONE[d.status]}>{humanize(d.status)}</Badge>{' '}
        <strong>{d.agency.name}</strong>{d.agency.ori ? ` (${d.agency.ori})` : ''} disputes{' '}
        <Link to={`/detainers/${d.detainerId}`}>{detainer ? `the detainer on ${subjectName(detainer.subject)}` : 'a detainer'}</Link>, lodging {d.lodging}
      </div>
      <div className="muted">Opened <LocalTime at={d.openedAt} zone={zone} withZone /></div>
      <blockquote>{d.reason}</blockquote>
      {d.status !== 'open' ? (
        <p>
          Decided <LocalTime at={d.resolvedAt} zone={zone} />: {d.note}
          {d.correction ? ` (${humanize(d.correction)})` : ''}
        </p>
      ) : session.me.role === 'supervisor' ? (
        <ResolveDispute dispute={d} onDecided={onDecided} />
      ) : null}
    </li>
  );
}

function ResolveDispute({ dispute, onDecided }: { dispute: RecordDispute; onDecided: () => void }) {
  const { post } = useSession();
  const [decision, setDecision] = useState('');
  const [note, setNote] = useState('');
  const [notePublic, setNotePublic] = useState(false);
  const [correction, setCorrection] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const idOf = (f: string) => `resolve-${dispute.id}-${f}`;
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    let found = NO_ERRORS;
    if (!decision) found = addFieldError(found, 'decision', 'Choose upheld or rejected.');
    if (!note.trim()) found = addFieldError(found, 'note', 'Give the reasons for the decision.');
    if (decision === 'upheld' && !correction) found = addFieldError(found, 'correction', 'Choose how the record is corrected.');
    setErrors(found);
    if (hasErrors(found)) return;
    setBusy(true);
    try {
      await post(`/api/v1/disputes/${dispute.id}/resolve`, { decision, note: note.trim(), notePublic, ...(decision === 'upheld' ? { correction } : {}) });
      onDecided();
    } catch (error) {
      setErrors(errorsFromApi(error, (f) => ['decision', 'note', 'correction'].includes(f)));
      setBusy(false);
    }
  };
  return (
    <form className="action-form" onSubmit={(e) => void submit(e)} noValidate aria-label={`Decide the dispute of ${dispute.agency.name}`}>
      <ErrorSummary errors={errors} idOf={idOf} title="Not decided" />
      <RadioGroup id={idOf('decision')} label="Decision" required value={decision} onChange={setDecision} errors={errors.fields.decision}
        options={[{ value: 'upheld', label: 'Upheld: correct the record' }, { value: 'rejected', label: 'Rejected: the record stands' }]} />
      {decision === 'upheld' ? (
        <SelectField id={idOf('correction')} label="Correction" required value={correction} onChange={setCorrection} options={CORRECTIONS}
          placeholder="Choose a correction" errors={errors.fields.correction} />
      ) : null}
      <TextAreaField id={idOf('note')} label="Reasons" required value={note} onChange={setNote} errors={errors.fields.note} maxLength={2000} />
      <PublishTextCheckbox id={idOf('note-public')} checked={notePublic} onChange={setNotePublic} />
      <button type="submit" className="primary" disabled={busy}>Decide</button>
    </form>
  );
}

/** Jail staff: contest a record about the agency. The reason is published with the report only if they say so. */
export function OpenDisputeForm({ detainer, onDone, onCancel }: { detainer: Detainer; onDone: (message: string) => Promise<void>; onCancel: () => void }) {
  const { post } = useSession();
  const [reason, setReason] = useState('');
  const [reasonPublic, setReasonPublic] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const title = useRef<HTMLHeadingElement>(null);
  useEffect(() => title.current?.focus(), []);
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const found = reason.trim() ? NO_ERRORS : addFieldError(NO_ERRORS, 'reason', "Give your agency's side of it.");
    setErrors(found);
    if (hasErrors(found)) return;
    setBusy(true);
    try {
      await post(`/api/v1/detainers/${detainer.id}/disputes`, { reason: reason.trim(), reasonPublic });
      await onDone('Dispute recorded: a supervisor will decide, and the report shows it on the rows it concerns until then.');
    } catch (error) {
      setErrors(errorsFromApi(error, (f) => f === 'reason'));
      setBusy(false);
    }
  };
  return (
    <form className="action-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="dispute-title">
      <h3 id="dispute-title" tabIndex={-1} ref={title}>Dispute this record</h3>
      <p className="hint">The weekly report shows the dispute on the rows it concerns; your words go with it only if you tick the box below.</p>
      <ErrorSummary errors={errors} idOf={(f) => `dispute-${f}`} title="Not recorded" />
      <TextAreaField id="dispute-reason" label="What is wrong with this record" required value={reason} onChange={setReason} errors={errors.fields.reason} maxLength={2000} />
      <PublishTextCheckbox id="dispute-reason-public" checked={reasonPublic} onChange={setReasonPublic} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>Record the dispute</button>
        <button type="button" onClick={onCancel}>Close</button>
      </div>
    </form>
  );
}
