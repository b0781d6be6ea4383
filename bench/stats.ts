/** Summaries and the results file of `npm run bench`. */

export interface Summary {
  min: number;
  median: number;
  max: number;
}

export interface Measure {
  name: string;
  unit: string;
  appcert: Summary | null;
  openssl: Summary | null;
  /** appcert median ÷ OpenSSL median. */
  ratio: number | null;
  /** What was compared, or why a figure is missing. */
  note?: string;
}

export function summarize(samples: number[]): Summary | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { min: sorted[0], median, max: sorted[sorted.length - 1] };
}

export function measure(name: string, unit: string, appcert: number[], openssl: number[] | null, note?: string): Measure {
  const a = summarize(appcert);
  const o = openssl ? summarize(openssl) : null;
  // A ratio of a negative or zero median (a difference lost in noise) would mean nothing.
  const ratio = a && o && a.median > 0 && o.median > 0 ? a.median / o.median : null;
  return { name, unit, appcert: a, openssl: o, ratio, ...(note ? { note } : {}) };
}

/** Rounds figures for people: three significant digits, never more than one decimal. */
function figure(value: number): string {
  const abs = Math.abs(value);
  const rounded = abs >= 100 ? Math.round(value) : abs >= 10 ? Math.round(value * 10) / 10 : Math.round(value * 100) / 100;
  return String(rounded);
}

/** Two decimals, or two significant digits for tiny ratios (0.0042 rather than 0.00). */
const ratioText = (r: number) => (Math.abs(r) >= 0.1 ? r.toFixed(2) : r.toPrecision(2));

const triple = (s: Summary | null) => (s ? `${figure(s.min)} / ${figure(s.median)} / ${figure(s.max)}` : '—');

/** A Markdown table (also readable in a terminal) of every measure. */
export function table(measures: Measure[]): string {
  const rows = measures.map((m) => [m.name, m.unit, triple(m.appcert), triple(m.openssl), m.ratio === null ? '—' : ratioText(m.ratio)]);
  const head = ['measure', 'unit', 'appcert min / median / max', 'OpenSSL min / median / max', 'ratio'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** The notes under the table: what each row compares, or why a figure is missing. */
export const notes = (measures: Measure[]): string =>
  measures
    .filter((m) => m.note)
    .map((m) => `- ${m.name}: ${m.note}`)
    .join('\n');

/** Rounds a summary's numbers for the JSON file (sub-millisecond noise is meaningless here). */
export const rounded = (m: Measure): Measure => {
  const r = (s: Summary | null) => s && { min: round3(s.min), median: round3(s.median), max: round3(s.max) };
  return { ...m, appcert: r(m.appcert), openssl: r(m.openssl), ratio: m.ratio === null ? null : round3(m.ratio) };
};

const round3 = (value: number) => Math.round(value * 1000) / 1000;
