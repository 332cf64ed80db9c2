// A small accessible bar chart of a daily series (no chart library: @patternfly/react-charts is
// not a dependency). The SVG is one image with a summary label; the same numbers are in a
// table that screen readers read (visually hidden) and that is the fallback without SVG.
// Values are numbers and dates from the API, rendered as text nodes (never as HTML).
export interface DailyPoint {
  date: string; // YYYY-MM-DD
  value: number;
}

export function DailyBarChart({ title, unit, points }: { title: string; unit: string; points: DailyPoint[] }) {
  const width = 640;
  const height = 160;
  const left = 36;
  const bottom = 20;
  const top = 8;
  const max = Math.max(1, ...points.map((p) => p.value));
  const plotW = width - left - 4;
  const plotH = height - top - bottom;
  const slot = points.length > 0 ? plotW / points.length : plotW;
  const barW = Math.max(1, slot * 0.7);
  const peak = points.reduce<DailyPoint | null>((a, p) => (a && a.value >= p.value ? a : p), null);
  const summary =
    points.length === 0
      ? `${title}: no data yet`
      : `${title}: ${points.length} days from ${points[0]!.date} to ${points[points.length - 1]!.date}, ` +
        `latest ${points[points.length - 1]!.value} ${unit}, highest ${peak!.value} on ${peak!.date}`;
  return (
    <figure className="mtp-chart" data-testid="daily-chart" data-points={points.length}>
      <figcaption>{title}</figcaption>
      {points.length === 0 ? (
        <p>No daily usage recorded yet.</p>
      ) : (
        <svg role="img" aria-label={summary} viewBox={`0 0 ${width} ${height}`} width="100%" style={{ maxWidth: width }} preserveAspectRatio="xMinYMin meet">
          <line x1={left} y1={top} x2={left} y2={top + plotH} className="mtp-chart__axis" />
          <line x1={left} y1={top + plotH} x2={width - 4} y2={top + plotH} className="mtp-chart__axis" />
          <text x={left - 4} y={top + 8} textAnchor="end" className="mtp-chart__label">
            {max}
          </text>
          <text x={left - 4} y={top + plotH} textAnchor="end" className="mtp-chart__label">
            0
          </text>
          {points.map((p, i) => {
            const h = (p.value / max) * plotH;
            return (
              <rect key={p.date} x={left + i * slot + (slot - barW) / 2} y={top + plotH - h} width={barW} height={h} className="mtp-chart__bar">
                <title>{`${p.date}: ${p.value} ${unit}`}</title>
              </rect>
            );
          })}
          <text x={left} y={height - 4} className="mtp-chart__label">
            {points[0]!.date}
          </text>
          <text x={width - 4} y={height - 4} textAnchor="end" className="mtp-chart__label">
            {points[points.length - 1]!.date}
          </text>
        </svg>
      )}
      <table className="pf-v6-screen-reader">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">{unit}</th>
          </tr>
        </thead>
        <tbody>
          {points.map((p) => (
            <tr key={p.date}>
              <td>{p.date}</td>
              <td>{p.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
