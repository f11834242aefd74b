// Order statistics for the benchmark's small samples (7 pairs by default). Medians rather than means:
// one slow run (a GC pause, a page-cache miss, dockerd doing housekeeping) must not move the headline
// figure, and min–max shows the spread honestly without pretending the runs are normally distributed.

export interface Summary {
  readonly n: number
  readonly median: number
  readonly min: number
  readonly max: number
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  // Even counts: the mean of the two middle values, the usual definition.
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}

export function summarize(values: readonly number[]): Summary {
  const finite = values.filter((value) => Number.isFinite(value))
  return {
    n: finite.length,
    median: median(finite),
    min: finite.length ? Math.min(...finite) : Number.NaN,
    max: finite.length ? Math.max(...finite) : Number.NaN
  }
}

export interface PairedComparison {
  /** a − b of each pair, then summarized. */
  readonly difference: Summary
  /** a / b of each pair, then summarized. */
  readonly ratio: Summary
}

/**
 * Compares pair by pair, then takes the median of the per-pair figures. The two members of a pair run
 * back to back, so whatever drifts over the run (page cache, dockerd's image store growing, thermal
 * state) affects both alike and cancels in the pair; a difference of medians would not cancel it.
 */
export function pairedComparison(a: readonly number[], b: readonly number[]): PairedComparison {
  if (a.length !== b.length) throw new Error(`paired samples differ in length: ${a.length} and ${b.length}`)
  return {
    difference: summarize(a.map((value, i) => value - (b[i] as number))),
    ratio: summarize(a.map((value, i) => value / (b[i] as number)))
  }
}

/** Per-key summary of counts from several runs (keys missing in a run count as 0 there). */
export function summarizeCounts(runs: readonly Readonly<Record<string, number>>[]): Record<string, Summary> {
  const keys = [...new Set(runs.flatMap((run) => Object.keys(run)))].sort()
  return Object.fromEntries(keys.map((key) => [key, summarize(runs.map((run) => run[key] ?? 0))]))
}

/** Per-key summary of durations; a key missing in a run is left out of that key's sample. */
export function summarizeFields(runs: readonly Readonly<Record<string, number | undefined>>[]): Record<string, Summary> {
  const keys = [...new Set(runs.flatMap((run) => Object.keys(run)))]
  return Object.fromEntries(keys.map((key) => [key, summarize(runs.map((run) => run[key]).filter((value): value is number => value !== undefined))]))
}

/** "612 ms (598–640)"; signed for differences. */
export function formatMs(summary: Summary, options: { signed?: boolean } = {}): string {
  if (summary.n === 0) return 'n/a'
  const ms = (value: number): string => `${options.signed && value > 0 ? '+' : ''}${Math.round(value)}`
  return `${ms(summary.median)} ms (${ms(summary.min)} – ${ms(summary.max)})`
}

export function formatRatio(summary: Summary): string {
  if (summary.n === 0) return 'n/a'
  return `${summary.median.toFixed(3)} (${summary.min.toFixed(3)} – ${summary.max.toFixed(3)})`
}

/** Counts are whole numbers per run; show the median, and the range only when runs disagreed. */
export function formatCount(summary: Summary): string {
  const value = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(1))
  return summary.min === summary.max ? value(summary.median) : `${value(summary.median)} (${value(summary.min)}–${value(summary.max)})`
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(2)} MiB`
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`
  return `${bytes} B`
}
