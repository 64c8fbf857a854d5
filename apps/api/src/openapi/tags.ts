/** The operations' groups, in the order /docs shows them. */
export const TAGS: { name: string; description: string }[] = [
  { name: 'auth', description: 'Sign-in, sessions, second factor; who you are' },
  { name: 'detainers', description: 'Lodging detainers and every action on them (acknowledge, schedule a release, hold, release, refuse, ...)' },
  { name: 'custody events', description: "An agency's jail management system reporting bookings, release dates, releases and transfers" },
  { name: 'subjects', description: 'The people detainers are about, found by identifier' },
  { name: 'queues', description: "The supervisors' compliance queues and their claims" },
  { name: 'notifications', description: 'Your in-app inbox of reminders' },
  { name: 'webhooks', description: "An agency system's webhooks: signed deliveries of reminders (payloads under `webhooks`)" },
  { name: 'reports', description: 'The weekly declined-detainer report: versions, changes, drill-down, publication' },
  { name: 'imports', description: 'The federal release of detainer records: import runs and the rows each quarantined' },
  { name: 'disputes', description: 'An agency contesting a record about it; a supervisor deciding' },
  { name: 'reference data', description: 'Areas of Responsibility, jurisdictions, policies, agencies, facilities' },
  { name: 'admin', description: 'Users, API keys and the audit log (administrators)' },
  { name: 'health', description: 'Liveness and readiness' },
];
