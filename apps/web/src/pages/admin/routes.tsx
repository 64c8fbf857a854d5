import type { ReactNode } from 'react';
import type { Role } from '../../api/types';
import { PageTitle } from '../../components/page';
import { Link } from '../../lib/router';
import { AuditLog } from './AuditLog';
import { ApiKeys, Webhooks } from './Integrations';
import { People, Person } from './People';
import { QueueDashboard } from './QueueDashboard';
import { Agencies, Areas, Facilities, JurisdictionPage, Jurisdictions } from './Reference';
import { ADMIN_SECTIONS, AdminLayout } from './shared';

/**
 * The admin console's pages, under /console (the server keeps /admin for itself: the queue
 * dashboard). Each is wrapped in the console's navigation and its re-authentication.
 */
const PAGES: { pattern: string; render: (p: Record<string, string>) => ReactNode }[] = [
  { pattern: '/console', render: () => <ConsoleHome /> },
  { pattern: '/console/people', render: () => <People /> },
  { pattern: '/console/people/:id', render: (p) => <Person key={p.id} id={p.id} /> },
  { pattern: '/console/areas', render: () => <Areas /> },
  { pattern: '/console/jurisdictions', render: () => <Jurisdictions /> },
  { pattern: '/console/jurisdictions/:id', render: (p) => <JurisdictionPage key={p.id} id={p.id} /> },
  { pattern: '/console/agencies', render: () => <Agencies /> },
  { pattern: '/console/facilities', render: () => <Facilities /> },
  { pattern: '/console/api-keys', render: () => <ApiKeys /> },
  { pattern: '/console/webhooks', render: () => <Webhooks /> },
  { pattern: '/console/audit', render: () => <AuditLog /> },
  { pattern: '/console/queues', render: () => <QueueDashboard /> },
];

export const ADMIN_ROUTES: { pattern: string; roles: Role[]; render: (p: Record<string, string>) => ReactNode }[] = PAGES.map((page) => ({
  pattern: page.pattern,
  roles: ['admin'],
  render: (p) => <AdminLayout>{page.render(p)}</AdminLayout>,
}));

function ConsoleHome() {
  return (
    <>
      <PageTitle title="Admin console">Admin console</PageTitle>
      <p className="lead">People, reference data, agency systems and the audit log. Changes ask you to confirm your password when your sign-in is more than 15 minutes old.</p>
      <ul className="admin-home">
        {ADMIN_SECTIONS.map((s) => <li key={s.to}><Link to={s.to}>{s.label}</Link></li>)}
      </ul>
    </>
  );
}
