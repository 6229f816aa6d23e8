/**
 * Numbers as people read them on the dashboard: durations ("4.2 s", "3 min 12 s"), times of
 * day, counts with separators. Pure functions (test/dashboard/format.test.ts).
 */

/** A duration in ms, short and rounded to what matters: "850 ms", "4.2 s", "3 min 12 s", "2 h 5 min", "3 d 4 h". */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const abs = Math.abs(ms);
  const sign = ms < 0 ? '−' : '';
  if (abs < 1000) return `${sign}${Math.round(abs)} ms`;
  if (abs < 10_000) return `${sign}${(abs / 1000).toFixed(1)} s`;
  if (abs < 60_000) return `${sign}${Math.round(abs / 1000)} s`;
  const s = Math.floor(abs / 1000);
  const two = (big: number, bigUnit: string, small: number, smallUnit: string) =>
    `${sign}${big} ${bigUnit}${small === 0 ? '' : ` ${small} ${smallUnit}`}`;
  if (s < 3600) return two(Math.floor(s / 60), 'min', s % 60, 's');
  if (s < 86_400) return two(Math.floor(s / 3600), 'h', Math.floor((s % 3600) / 60), 'min');
  return two(Math.floor(s / 86_400), 'd', Math.floor((s % 86_400) / 3600), 'h');
}

/** A count with thousands separators: 100 000. */
export function count(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
}

/** A number with at most `digits` decimals, or "—" when it is not finite. */
export function num(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return x === Infinity ? '∞' : '—';
  return String(Math.round(x * 10 ** digits) / 10 ** digits);
}

/** Wall-clock ms as an ISO-like local time of day with the date: "2024-05-27 14:03:07". */
export function wallTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ` +
    `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`
  );
}
