// Small statistics and number formatting shared by the sections.

/** The q-quantile (0..1) of the values, by the nearest-rank method; NaN for no values. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * 12345.6 -> "12 346"; digits after the point on request. Thin spaces keep tables narrow and readable. With
 * `limit`, never rounded onto that limit (see digitsAgainst).
 */
export function formatNumber(value: number, digits = 0, limit?: number): string {
  if (!Number.isFinite(value)) return '–';
  const [whole, fraction] = value.toFixed(digitsAgainst(value, digits, limit)).split('.');
  const grouped = (whole as string).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return fraction ? `${grouped}.${fraction}` : grouped;
}

/**
 * Decimals enough to show which side of a target's limit a value is on: 0.8995 against "≥ 0.9" is written
 * "0.8995", since two decimals would round it onto the limit ("0.90") and read as a target met.
 */
function digitsAgainst(value: number, digits: number, limit: number | undefined): number {
  let shown = digits;
  while (limit !== undefined && shown < 6 && value !== limit && Number(value.toFixed(shown)) === limit) shown++;
  return shown;
}

/** Bytes in the largest unit that keeps a whole part; with `limitBytes`, never rounded onto that limit. */
export function formatBytes(bytes: number, limitBytes?: number): string {
  for (const [unit, size] of [
    ['GB', 1024 ** 3],
    ['MB', 1024 ** 2],
    ['KB', 1024],
  ] as const) {
    if (bytes >= size) {
      const value = bytes / size;
      return `${value.toFixed(digitsAgainst(value, 1, limitBytes === undefined ? undefined : limitBytes / size))} ${unit}`;
    }
  }
  return `${bytes} B`;
}

/** Milliseconds to two decimals under 10 ms, else one; with `limitMs`, never rounded onto that limit. */
export function formatMs(ms: number, limitMs?: number): string {
  return Number.isFinite(ms) ? `${ms.toFixed(digitsAgainst(ms, ms < 10 ? 2 : 1, limitMs))} ms` : '–';
}

/** 10 -> "10", 1000 -> "10^3", 1000000 -> "10^6" */
export function formatPowerOfTen(value: number): string {
  const exponent = Math.log10(value);
  return Number.isInteger(exponent) && exponent > 1 ? `10^${exponent}` : String(value);
}

/** "1 file", "3 files". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
