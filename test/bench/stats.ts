/** Rows of the bench table: samples, their baseline measured in the same run, and the table itself. */

export interface Row {
  readonly name: string;
  /** `ms` for times, `B` for sizes, `%` for shares. */
  readonly unit: 'ms' | 'B' | '%';
  readonly samples: number[];
  /** Name of the row this one is divided by (its median). */
  readonly baseline?: string;
  /** The goal the ratio is held to, e.g. `≤ 1.1×` (printed with ✓ / ✗). */
  readonly goal?: { readonly maxRatio?: number; readonly maxMedian?: number };
  /** Anything worth knowing next to the figure (gzip size, externals, …). */
  readonly note?: string;
  /** Extra figures for .bench/results.json (gzip bytes, externals, …). */
  readonly data?: Record<string, unknown>;
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

export const stats = (xs: readonly number[]) => ({ min: Math.min(...xs), median: median(xs), max: Math.max(...xs) });

const figure = (value: number, unit: Row['unit']): string =>
  unit === 'B' ? `${Math.round(value).toLocaleString('en-US')} B` : unit === '%' ? `${value.toFixed(1)} %` : `${value.toFixed(1)} ms`;

/** The markdown table: min / median / max, and median / baseline median with the baseline named. */
export function table(rows: readonly Row[]): string {
  const byName = new Map(rows.map((r) => [r.name, r]));
  const lines = [
    '| measure | n | min | median | max | ratio (median / baseline median) | goal | note |',
    '|---|---:|---:|---:|---:|---|---|---|',
    ...rows.map((r) => {
      const s = stats(r.samples);
      const base = r.baseline ? byName.get(r.baseline) : undefined;
      if (r.baseline && !base) throw new Error(`row ${r.name}: no baseline row ${r.baseline}`);
      const ratioValue = base ? s.median / median(base.samples) : undefined;
      const ratio = ratioValue === undefined ? 'baseline' : `${ratioValue.toFixed(2)}× ${r.baseline}`;
      const goals: string[] = [];
      if (r.goal?.maxRatio !== undefined && ratioValue !== undefined) {
        goals.push(`${ratioValue <= r.goal.maxRatio ? '✓' : '✗'} ≤ ${r.goal.maxRatio}×`);
      }
      if (r.goal?.maxMedian !== undefined) {
        goals.push(`${s.median <= r.goal.maxMedian ? '✓' : '✗'} ≤ ${figure(r.goal.maxMedian, r.unit)}`);
      }
      return `| ${r.name} | ${r.samples.length} | ${figure(s.min, r.unit)} | ${figure(s.median, r.unit)} | ${figure(s.max, r.unit)} | ${ratio} | ${goals.join(', ')} | ${r.note ?? ''} |`;
    }),
  ];
  return lines.join('\n');
}

/** `BENCH_*` integer from the environment, or `fallback`. */
export function envCount(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, not ${raw}`);
  return value;
}

export const progress = (line: string): void => {
  process.stderr.write(`${line}\n`);
};
