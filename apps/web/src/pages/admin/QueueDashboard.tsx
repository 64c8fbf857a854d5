import { useState } from 'react';
import type { QueueDashboardTicket } from '../../api/types';
import { errorsFromApi, ErrorSummary, type FormErrors, NO_ERRORS } from '../../components/forms';
import { PageTitle } from '../../components/page';
import { useSession } from '../../lib/session';
import { ReauthDialog } from './shared';

/**
 * The job queues' dashboard (bull-board) opens in a tab of its own through a single-use link: it is
 * read-only until you confirm your password, and everything done there is in the audit log.
 */
export function QueueDashboard() {
  const { post } = useSession();
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);

  const open = async () => {
    setBusy(true);
    setErrors(NO_ERRORS);
    // The tab opens on the click (pop-up blockers allow that), then goes to the link once it is issued.
    const tab = window.open('about:blank', '_blank');
    try {
      const { url } = await post<QueueDashboardTicket>('/api/v1/admin/queue-dashboard/tickets');
      if (tab) tab.location.href = url;
      else window.location.href = url;
      setNotice('The dashboard opened in a new tab.');
    } catch (error) {
      tab?.close();
      setErrors(errorsFromApi(error, () => false));
    }
    setBusy(false);
  };

  return (
    <>
      <PageTitle title="Queue dashboard">Queue dashboard</PageTitle>
      <p className="lead">The background job queues (reminders, deliveries, reports, system): counts, failed jobs and their errors.</p>
      <ul>
        <li>It opens in a new tab through a link that works once, within a minute; it then works as long as you stay signed in here.</li>
        <li>Looking is open to you. Pausing a queue or retrying, cleaning or removing jobs needs a sign-in from the last 15 minutes: if the dashboard refuses, confirm your password here and try again there.</li>
        <li>Everything done in the dashboard is written to the audit log with your name and the time (actions <code>queues.*</code>).</li>
      </ul>
      <ErrorSummary errors={errors} idOf={(f) => f} title="The dashboard did not open" />
      {notice ? <p className="flash" role="status">{notice}</p> : null}
      <div className="form-actions">
        <button type="button" className="primary" onClick={() => void open()} disabled={busy}>Open the queue dashboard</button>
        <button type="button" onClick={() => setConfirming(true)}>Confirm my password to allow changes</button>
      </div>
      {confirming ? (
        <ReauthDialog
          onConfirmed={() => {
            setConfirming(false);
            setNotice('Confirmed: for the next 15 minutes the dashboard accepts changes.');
          }}
          onCancel={() => setConfirming(false)}
        />
      ) : null}
    </>
  );
}
