/**
 * Small SVG charts for the weekly report. Each is an image with a text alternative and, beside it,
 * the same numbers as a table (for screen readers and for exact reading); no chart library needed.
 */

export interface Bar {
  label: string;
  value: number;
  /** Optional second series (e.g. declined beside issued). */
  value2?: number;
}

export function BarChart({ title, bars, series }: { title: string; bars: Bar[]; series: [string, string?] }) {
  const max = Math.max(1, ...bars.map((b) => Math.max(b.value, b.value2 ?? 0)));
  const row = series[1] ? 30 : 20;
  const labelWidth = 220;
  const width = 560;
  const barSpace = width - labelWidth - 50;
  const height = bars.length * (row + 8) + 8;
  const summary = bars.map((b) => `${b.label}: ${b.value}${b.value2 !== undefined ? ` / ${b.value2}` : ''}`).join('; ');
  return (
    <figure className="chart">
      <figcaption>
        {title}
        <span className="legend">
          <span className="swatch s1" aria-hidden="true" /> {series[0]}
          {series[1] ? (
            <>
              {' '}
              <span className="swatch s2" aria-hidden="true" /> {series[1]}
            </>
          ) : null}
        </span>
      </figcaption>
      {bars.length === 0 ? (
        <p className="muted">Nothing to show.</p>
      ) : (
        <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${title}. ${summary}`} preserveAspectRatio="xMinYMin meet">
          {bars.map((b, i) => {
            const y = 8 + i * (row + 8);
            const h = series[1] ? row / 2 - 1 : row;
            const w1 = (b.value / max) * barSpace;
            const w2 = ((b.value2 ?? 0) / max) * barSpace;
            return (
              <g key={b.label}>
                <text x={labelWidth - 8} y={y + row / 2 + 4} textAnchor="end" className="chart-label">
                  {b.label.length > 30 ? `${b.label.slice(0, 29)}…` : b.label}
                </text>
                <rect x={labelWidth} y={y} width={Math.max(w1, b.value > 0 ? 2 : 0)} height={h} className="bar s1" />
                <text x={labelWidth + w1 + 4} y={y + h - 2} className="chart-value">{b.value}</text>
                {series[1] ? (
                  <>
                    <rect x={labelWidth} y={y + h + 2} width={Math.max(w2, (b.value2 ?? 0) > 0 ? 2 : 0)} height={h} className="bar s2" />
                    <text x={labelWidth + w2 + 4} y={y + 2 * h} className="chart-value">{b.value2 ?? 0}</text>
                  </>
                ) : null}
              </g>
            );
          })}
        </svg>
      )}
    </figure>
  );
}
