import { paretoFrontier } from './frontier.js';
import type { QualityPoint } from './quality-point.js';
import type { SweepResult } from './sweep.js';

/** Colour and marker of each series, fixed so every chart reads the same way. */
const SERIES_STYLE: Record<string, string> = {
  timeout: '#7f7f7f',
  'missed-beats': '#bcbd22',
  'phi-accrual': '#1f77b4',
  'phi-cassandra': '#17becf',
  chen: '#ff7f0e',
  quantile: '#d62728',
};
const WIDTH = 960;
const HEIGHT = 600;
const PLOT = { left: 90, right: 720, top: 60, bottom: 520 };
/** Pixels kept at the left of the x axis for settings with no mistakes (log scale has no 0). */
const ZERO_BAND = 36;

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (x: number): string => (Math.round(x * 10) / 10).toString();

/** Decade ticks with 2 and 5 in between, from `lo` to `hi` (both powers of ten). */
function logTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  for (let e = Math.round(Math.log10(lo)); e <= Math.round(Math.log10(hi)); e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v >= lo * 0.999 && v <= hi * 1.001) ticks.push(v);
    }
  }
  return ticks;
}

function tickLabel(v: number): string {
  if (v >= 1000) return `${v / 1000}k`;
  return v >= 1 ? String(v) : v.toPrecision(1);
}

/** A light grid line from (x1, y1) to (x2, y2). */
function gridLine(
  x1: number | string,
  y1: number | string,
  x2: number | string,
  y2: number | string,
): string {
  return `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="#e5e5e5"/>`;
}

/** The label of tick `t` at (x, y). */
function tick(x: number | string, y: number | string, anchor: 'middle' | 'end', t: number): string {
  return `<text x="${x}" y="${y}" font-size="12" text-anchor="${anchor}">${tickLabel(t)}</text>`;
}

/**
 * The frontier chart of one trace as a standalone SVG: mistake rate (false suspicions per
 * node-hour, log scale, with a "0" band at the left) against mean detection time in heartbeat
 * intervals (log scale). Each detector's swept settings are faint dots and its Pareto frontier a
 * line; Akka's scaled defaults are a black diamond and the clairvoyant floor a dashed line.
 * Text uses a generic sans-serif font so the PNG renderer can find one anywhere.
 */
export function frontierSvg(result: SweepResult, subtitle = ''): string {
  const all = [...result.points, result.akka].filter(
    (p) => Number.isFinite(p.detectionIntervals) && Number.isFinite(p.mistakesPerHour),
  );
  const positive = all.map((p) => p.mistakesPerHour).filter((m) => m > 0);
  const xLo = 10 ** Math.floor(Math.log10(Math.max(1e-2, Math.min(...positive, 1))));
  const xHi = 10 ** Math.ceil(Math.log10(Math.max(10, ...positive)));
  const ys = [
    ...all.map((p) => p.detectionIntervals),
    result.clairvoyant.detectionIntervals,
  ].filter((y) => y > 0 && Number.isFinite(y));
  const yLo = 10 ** Math.floor(Math.log10(Math.max(1e-2, Math.min(...ys, 1))));
  const yHi = 10 ** Math.ceil(Math.log10(Math.max(...ys, 10)));

  const x0 = PLOT.left + ZERO_BAND;
  const xPix = (m: number): number =>
    m <= 0
      ? PLOT.left + ZERO_BAND / 3
      : x0 +
        ((Math.log10(m) - Math.log10(xLo)) / (Math.log10(xHi) - Math.log10(xLo))) *
          (PLOT.right - x0);
  const yPix = (d: number): number =>
    PLOT.bottom -
    ((Math.log10(Math.max(d, yLo)) - Math.log10(yLo)) / (Math.log10(yHi) - Math.log10(yLo))) *
      (PLOT.bottom - PLOT.top);

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="DejaVu Sans, Arial, Helvetica, sans-serif">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${PLOT.left}" y="28" font-size="18" font-weight="bold">${esc(result.trace)}</text>`,
    `<text x="${PLOT.left}" y="48" font-size="12" fill="#444">${esc(
      `interval ${num(result.intervalMs)} ms · ${result.hours.toFixed(2)} h · lower left is better${subtitle ? ` · ${subtitle}` : ''}`,
    )}</text>`,
  );
  // grid and ticks
  for (const t of logTicks(xLo, xHi)) {
    const x = num(xPix(t));
    out.push(gridLine(x, PLOT.top, x, PLOT.bottom), tick(x, PLOT.bottom + 18, 'middle', t));
  }
  out.push(
    `<text x="${num(xPix(0))}" y="${PLOT.bottom + 18}" font-size="12" text-anchor="middle">0</text>`,
    `<line x1="${x0 - ZERO_BAND / 3}" y1="${PLOT.top}" x2="${x0 - ZERO_BAND / 3}" y2="${PLOT.bottom}" stroke="#bbbbbb" stroke-dasharray="2,3"/>`,
  );
  for (const t of logTicks(yLo, yHi)) {
    const y = yPix(t);
    out.push(
      gridLine(PLOT.left, num(y), PLOT.right, num(y)),
      tick(PLOT.left - 8, num(y + 4), 'end', t),
    );
  }
  out.push(
    `<rect x="${PLOT.left}" y="${PLOT.top}" width="${PLOT.right - PLOT.left}" height="${PLOT.bottom - PLOT.top}" fill="none" stroke="#333"/>`,
    `<text x="${(PLOT.left + PLOT.right) / 2}" y="${PLOT.bottom + 44}" font-size="14" text-anchor="middle">false suspicions per node-hour (log scale)</text>`,
    `<text x="24" y="${(PLOT.top + PLOT.bottom) / 2}" font-size="14" text-anchor="middle" transform="rotate(-90 24 ${(PLOT.top + PLOT.bottom) / 2})">mean detection time, heartbeat intervals (log scale)</text>`,
  );
  // clairvoyant floor
  const cy = result.clairvoyant.detectionIntervals;
  if (Number.isFinite(cy) && cy > 0) {
    out.push(
      `<line x1="${PLOT.left}" y1="${num(yPix(cy))}" x2="${PLOT.right}" y2="${num(yPix(cy))}" stroke="#2ca02c" stroke-width="1.5" stroke-dasharray="6,4"/>`,
    );
  }
  // series
  const legend: string[] = [];
  const kinds = [...new Set(result.points.map((p) => p.detector))];
  for (const kind of kinds) {
    const colour = SERIES_STYLE[kind] ?? '#9467bd';
    const pts = result.points.filter(
      (p) => p.detector === kind && Number.isFinite(p.detectionIntervals),
    );
    for (const p of pts) {
      out.push(
        `<circle cx="${num(xPix(p.mistakesPerHour))}" cy="${num(yPix(p.detectionIntervals))}" r="2.5" fill="${colour}" fill-opacity="0.35"/>`,
      );
    }
    const front = paretoFrontier(pts);
    const path = front
      .map(
        (p, i) =>
          `${i === 0 ? 'M' : 'L'}${num(xPix(p.mistakesPerHour))},${num(yPix(p.detectionIntervals))}`,
      )
      .join(' ');
    const wide = kind === 'quantile' ? 3 : 2;
    if (path) out.push(`<path d="${path}" fill="none" stroke="${colour}" stroke-width="${wide}"/>`);
    for (const p of front) {
      out.push(
        `<circle cx="${num(xPix(p.mistakesPerHour))}" cy="${num(yPix(p.detectionIntervals))}" r="3.5" fill="${colour}"/>`,
      );
    }
    legend.push(kind);
  }
  const akka: QualityPoint = result.akka;
  if (Number.isFinite(akka.detectionIntervals)) {
    const ax = xPix(akka.mistakesPerHour);
    const ay = yPix(akka.detectionIntervals);
    out.push(
      `<path d="M${num(ax)},${num(ay - 8)} L${num(ax + 8)},${num(ay)} L${num(ax)},${num(ay + 8)} L${num(ax - 8)},${num(ay)} Z" fill="#000" stroke="#fff"/>`,
    );
  }
  // legend
  let ly = PLOT.top + 10;
  const lx = PLOT.right + 20;
  out.push(
    `<text x="${lx}" y="${ly}" font-size="13" font-weight="bold">detector (frontier)</text>`,
  );
  for (const kind of legend) {
    ly += 24;
    const colour = SERIES_STYLE[kind] ?? '#9467bd';
    out.push(
      `<line x1="${lx}" y1="${ly - 4}" x2="${lx + 28}" y2="${ly - 4}" stroke="${colour}" stroke-width="${kind === 'quantile' ? 3 : 2}"/>`,
      `<circle cx="${lx + 14}" cy="${ly - 4}" r="3.5" fill="${colour}"/>`,
      `<text x="${lx + 36}" y="${ly}" font-size="13">${esc(kind === 'quantile' ? 'quantile (ours)' : kind)}</text>`,
    );
  }
  ly += 24;
  out.push(
    `<path d="M${lx + 14},${ly - 12} L${lx + 22},${ly - 4} L${lx + 14},${ly + 4} L${lx + 6},${ly - 4} Z" fill="#000"/>`,
    `<text x="${lx + 36}" y="${ly}" font-size="13">Akka defaults, scaled</text>`,
  );
  ly += 24;
  out.push(
    `<line x1="${lx}" y1="${ly - 4}" x2="${lx + 28}" y2="${ly - 4}" stroke="#2ca02c" stroke-width="1.5" stroke-dasharray="6,4"/>`,
    `<text x="${lx + 36}" y="${ly}" font-size="13">clairvoyant (floor)</text>`,
  );
  out.push('</svg>');
  return out.join('\n');
}
