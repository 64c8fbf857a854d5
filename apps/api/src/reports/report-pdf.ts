import PDFDocument from 'pdfkit';
import { WeeklyReport } from '@app/application';

/** The age buckets as every report screen labels them (ASCII hyphens: the PDF's standard font). */
const AGE_WORDS: Record<string, string> = { under_week: '0-6 days', under_month: '7-29 days', under_year: '30-364 days', year_or_more: '365+ days' };

const MARGIN = 50;
const WIDTH = 612 - 2 * MARGIN; // US Letter

/**
 * The printable report: every figure with its label, a bar chart of the jurisdictions with the most
 * declines, a 12-week trend line, the four sections, and disputes marked on their rows.
 */
export function reportPdf(r: WeeklyReport): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'LETTER', margin: MARGIN, info: { Title: `Weekly declined-detainer report ${r.weekStart}`, Producer: 'detainer-workflow' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const heading = (text: string) => doc.moveDown(0.8).font('Helvetica-Bold').fontSize(13).fillColor('black').text(text).moveDown(0.3).font('Helvetica').fontSize(9);
  const note = (text: string) => doc.font('Helvetica-Oblique').fontSize(8).fillColor('#444').text(text).font('Helvetica').fontSize(9).fillColor('black');
  const line = (text: string) => doc.text(text);

  doc.font('Helvetica-Bold').fontSize(16).text('Weekly Declined Detainer Report');
  doc.font('Helvetica').fontSize(10)
    .text(`Week ${r.weekStart} to ${r.weekEnd} (${r.weekDefinition})`)
    .text(r.status === 'published' ? `Version ${r.version}, published ${r.publishedAt} by ${r.publishedBy}` : 'LIVE FIGURES: not a published version; they may still change.');

  heading('Nationwide');
  const t = r.totals;
  line(`Detainers issued: ${t.issued}`);
  note(r.labels.issued);
  line(`Declines recorded: ${t.declined} (refused ${t.declinedByKind.refused}, no notice ${t.declinedByKind.no_notice}, hold refused ${t.declinedByKind.hold_refused})`);
  note(r.labels.declined);
  line(`Declines by detainer age: 0-6 days ${t.declinedByAge.under_week}; 7-29 days ${t.declinedByAge.under_month}; 30-364 days ${t.declinedByAge.under_year}; 365+ days ${t.declinedByAge.year_or_more}`);
  line(`Honored: ${t.honored}.  Missed pickups (not declines): ${t.missedPickups}.  Short notices (not declines): ${t.shortNotices}.`);
  line(`Excluded from all figures: ${t.excluded}.  Unacknowledged by the agency: ${t.unacknowledged}.  Records under dispute: ${t.disputed}.`);

  heading('Jurisdictions with the most declines recorded this week');
  barChart(doc, [...r.jurisdictions].filter((j) => j.declined > 0).sort((a, b) => b.declined - a.declined || (a.code < b.code ? -1 : 1)).slice(0, 10)
    .map((j) => ({ label: `${j.name}, ${j.state} (${j.code})${j.disputed > 0 ? ' [DISPUTED]' : ''}`, value: j.declined })));

  heading('12-week trend: detainers issued and declines recorded, nationwide');
  trendChart(doc, r.trend);

  heading(r.sections.I.title);
  note(r.sections.I.label);
  if (r.sections.I.rows.length === 0) line('None this week.');
  for (const row of r.sections.I.rows) {
    line(`${row.rank}. ${row.name}, ${row.state} (${row.code}): ${row.issued} detainers ISSUED (not declines); ${row.declined} declines recorded.` +
      `${row.program287g.length ? ` 287(g): ${row.program287g.map((p) => p.program287g).join(', ')}.` : ''}${row.disputed ? ` [DISPUTED: ${row.disputed} record(s)]` : ''}`);
    for (const d of row.disputes) note(`   Dispute (${d.status}) by ${d.agencyOri}: ${d.reason ? `"${d.reason}"` : 'reason not published'}${d.resolution ? ` - ${d.resolution.decision}${d.resolution.note ? `: ${d.resolution.note}` : ''}` : ''}`);
  }

  heading(r.sections.II.title);
  note(r.sections.II.label);
  if (r.sections.II.jurisdictions.length === 0) line('No declines recorded this week.');
  for (const j of r.sections.II.jurisdictions) {
    doc.font('Helvetica-Bold').text(`${j.name}, ${j.state} (${j.code}): ${j.declined} decline(s)${j.disputed ? ` [DISPUTED: ${j.disputed}]` : ''}`).font('Helvetica');
    for (const c of j.cases) {
      const charge = c.mostSeriousCharge ? `${c.mostSeriousCharge.description} (${c.mostSeriousCharge.level}, ${c.mostSeriousCharge.status})` : 'no charge recorded';
      line(`   ${c.caseRef}  ${c.citizenship}  issued ${c.issuedDate}  declined ${c.declinedDate}  ${c.declineKind}  age ${AGE_WORDS[c.ageBucket] ?? c.ageBucket}  ${charge}${c.dispute ? `  [DISPUTE ${c.dispute.status}${c.dispute.reason ? `: "${c.dispute.reason}"` : ''}]` : ''}`);
    }
  }

  heading(r.sections.III.title);
  note(r.sections.III.label);
  if (r.sections.III.jurisdictions.length === 0) line('None in force this week.');
  for (const j of r.sections.III.jurisdictions) {
    doc.font('Helvetica-Bold').text(`${j.name}, ${j.state} (${j.code})${j.program287g.length ? ` - 287(g) participant: ${j.program287g.map((p) => p.program287g).join(', ')}` : ''}`).font('Helvetica');
    for (const p of j.policies) line(`   ${p.citation} (${p.kind}, in force ${p.effectiveFrom} to ${p.effectiveTo ?? 'open'}): ${p.summary}`);
  }

  heading(r.sections.IV.title);
  const f = r.sections.IV.fidelity;
  line(`Declines reported by the agency: ${f.declines.lea_reported}; observed by federal officers: ${f.declines.ice_observed}; system: ${f.declines.system}; unknown: ${f.declines.unknown}.`);
  line(`Open disputes: ${f.disputedOpen}.  Corrected: ${f.corrected.declinesRetracted} decline(s) retracted, ${f.corrected.excludedByDispute} record(s) excluded after disputes.`);
  line(`Excluded: issued in error ${f.excluded.issued_in_error}, wrong subject ${f.excluded.wrong_subject}, U.S. citizen ${f.excluded.us_citizen}, misdirected ${f.excluded.misdirected}, by dispute ${f.excluded.excluded_by_dispute}.`);
  line(`Unacknowledged: ${f.unacknowledged}; agencies flagged at reconciliation: ${f.reconciliationFlags}.`);
  doc.moveDown(0.5).font('Helvetica-Bold').text('Counting rules').font('Helvetica');
  for (const rule of r.sections.IV.countingRules) line(`- ${rule}`);
  doc.end();
  return done;
}

function ensureSpace(doc: PDFKit.PDFDocument, height: number): void {
  if (doc.y + height > doc.page.height - MARGIN) doc.addPage();
}

function barChart(doc: PDFKit.PDFDocument, bars: { label: string; value: number }[]): void {
  if (bars.length === 0) {
    doc.text('No declines recorded this week.');
    return;
  }
  const barHeight = 12;
  ensureSpace(doc, bars.length * (barHeight + 4) + 10);
  const labelWidth = 250;
  const max = Math.max(...bars.map((b) => b.value));
  let y = doc.y;
  for (const b of bars) {
    const w = Math.max(1, ((WIDTH - labelWidth - 40) * b.value) / max);
    doc.fontSize(8).fillColor('black').text(b.label, MARGIN, y + 2, { width: labelWidth - 5, ellipsis: true, lineBreak: false });
    doc.rect(MARGIN + labelWidth, y, w, barHeight).fill('#b03a2e');
    doc.fillColor('black').text(String(b.value), MARGIN + labelWidth + w + 4, y + 2, { lineBreak: false });
    y += barHeight + 4;
  }
  doc.x = MARGIN;
  doc.y = y + 4;
  doc.fontSize(9);
}

function trendChart(doc: PDFKit.PDFDocument, trend: { weekStart: string; issued: number; declined: number }[]): void {
  const height = 120;
  ensureSpace(doc, height + 40);
  const top = doc.y + 5;
  const left = MARGIN + 30;
  const width = WIDTH - 40;
  const max = Math.max(1, ...trend.map((p) => Math.max(p.issued, p.declined)));
  doc.lineWidth(0.5).strokeColor('#888').moveTo(left, top).lineTo(left, top + height).lineTo(left + width, top + height).stroke();
  doc.fontSize(7).fillColor('black').text(String(max), MARGIN, top - 3, { width: 28, align: 'right' }).text('0', MARGIN, top + height - 3, { width: 28, align: 'right' });
  const x = (i: number) => left + (trend.length <= 1 ? width / 2 : (i * width) / (trend.length - 1));
  const y = (v: number) => top + height - (v / max) * height;
  const series = (key: 'issued' | 'declined', color: string) => {
    trend.forEach((p, i) => (i === 0 ? doc.moveTo(x(i), y(p[key])) : doc.lineTo(x(i), y(p[key]))));
    doc.lineWidth(1.5).strokeColor(color).stroke();
    trend.forEach((p, i) => doc.circle(x(i), y(p[key]), 1.8).fill(color));
  };
  series('issued', '#1f4e79');
  series('declined', '#b03a2e');
  trend.forEach((p, i) => {
    if (i % 2 === trend.length % 2 || i === trend.length - 1) doc.fillColor('black').fontSize(6).text(p.weekStart.slice(5), x(i) - 12, top + height + 3, { width: 24, align: 'center', lineBreak: false });
  });
  doc.x = MARGIN;
  doc.y = top + height + 14;
  doc.fontSize(8).fillColor('#1f4e79').text('-- detainers issued   ', { continued: true }).fillColor('#b03a2e').text('-- declines recorded').fillColor('black').fontSize(9);
}
