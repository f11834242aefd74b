// npm run bench (issue #4, part 1): what the action costs on top of the build it runs. Not a test:
// it prints figures (median, min – max), compares them with the targets, and writes them as JSON to
// bench-results/<short sha>-<timestamp>.json. scripts/bench.sh sets up the real parts first.
//
//   npm run bench [-- --pairs N] [-- --node PATH]     (or BENCH_PAIRS, BENCH_NODE)
import { mkdir, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { REPO_ROOT } from '../e2e/support/runner/runner.js'
import {
  ACTION_PHASES,
  BARE_PHASES,
  LOOP_ITERATIONS,
  RANDOM_LAYER_MIB,
  describeCode,
  describeMachine,
  installSpawnProbe,
  measureDistSizes,
  openBench,
  runPairs,
  runSkipPath,
  stepLikeEnvironment,
  timeCommand,
  traceDockerCalls,
  type ActionSample,
  type BenchContext,
  type CodeUnderTest,
  type DistSizes,
  type Machine,
  type PairedRuns,
  type TraceRun
} from './scenarios.js'
import { formatBytes, formatCount, formatMs, formatRatio, pairedComparison, summarize, summarizeCounts, summarizeFields, type Summary } from './stats.js'

/** What the lead compares against (issue #4). */
const TARGETS = {
  tinyAddedMs: 150,
  realisticRatio: 1.03,
  skipMs: 500,
  startupMs: 150
} as const

const NODE_STARTUP_RUNS = 21
const BUILDER_INSPECT_RUNS = 11

/** A wrong argument: said in one line, without a stack. */
class UsageError extends Error {}

interface Settings {
  readonly pairs: number
  readonly node: string
}

function parseSettings(argv: readonly string[]): Settings {
  let pairs = process.env['BENCH_PAIRS'] ?? '7'
  let node = process.env['BENCH_NODE'] || process.execPath
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = (argv[i] ?? '').split(/=(.*)/s, 2) as [string, string | undefined]
    const value = (): string => {
      const next = inline ?? argv[++i]
      if (next === undefined) throw new UsageError(`${flag} needs a value`)
      return next
    }
    if (flag === '--pairs') pairs = value()
    else if (flag === '--node') node = value()
    else if (flag === '--help' || flag === '-h') {
      process.stdout.write('usage: npm run bench [-- --pairs N (default 7, or BENCH_PAIRS)] [-- --node PATH (default this node, or BENCH_NODE)]\n')
      process.exit(0)
    } else throw new UsageError(`unknown argument ${argv[i]} (try --help)`)
  }
  const count = Number(pairs)
  if (!Number.isInteger(count) || count < 1) throw new UsageError(`--pairs / BENCH_PAIRS: a whole number ≥ 1, not '${pairs}'`)
  return { pairs: count, node }
}

// ---------------------------------------------------------------------------------------------
// From samples to figures.

interface ContextFigures {
  readonly context: string
  readonly description: string
  readonly pairs: number
  readonly action: { readonly total: Summary; readonly main: Summary; readonly post: Summary }
  readonly bare: Summary
  /** Per pair: action (main + post) − bare, and action / bare. */
  readonly difference: Summary
  readonly ratio: Summary
  /** Per pair, the main step alone against bare (the post step is a separate process at the end of the job). */
  readonly differenceMainOnly: Summary
  readonly ratioMainOnly: Summary
  /**
   * The action's own time: every phase but its docker buildx build and docker push. It does not move
   * with the build's own noise, which in the realistic context (±0.5 s per run on a shared VM) is
   * larger than the whole effect being measured.
   */
  readonly ownTime: Summary
  /** Per pair, (bare + own time) / bare: the ratio with the build's noise taken out. */
  readonly ownTimeRatio: Summary
  readonly startup: Summary
  readonly phases: Record<string, Summary>
  readonly barePhases: Record<string, Summary>
  readonly apiCalls: Record<string, Summary>
  readonly registryRequests: { readonly action: Record<string, Summary>; readonly bare: Record<string, Summary> }
  readonly samples: { readonly order: ReadonlyArray<string>; readonly action: ActionSample[]; readonly bare: PairedRuns['bare'] }
}

function contextFigures(context: BenchContext, runs: PairedRuns): ContextFigures {
  const total = runs.action.map((sample) => sample.totalMs)
  const main = runs.action.map((sample) => sample.mainMs)
  const bare = runs.bare.map((sample) => sample.wallMs)
  const paired = pairedComparison(total, bare)
  const pairedMain = pairedComparison(main, bare)
  const own = runs.action.map((sample) =>
    Object.entries(sample.phases).reduce((sum, [phase, ms]) => (phase === 'build' || phase === 'push' || ms === undefined ? sum : sum + ms), 0)
  )
  return {
    context: context.name,
    description: context.description,
    pairs: runs.action.length,
    action: { total: summarize(total), main: summarize(main), post: summarize(runs.action.map((sample) => sample.postMs)) },
    bare: summarize(bare),
    difference: paired.difference,
    ratio: paired.ratio,
    differenceMainOnly: pairedMain.difference,
    ratioMainOnly: pairedMain.ratio,
    ownTime: summarize(own),
    ownTimeRatio: summarize(own.map((ms, i) => ((bare[i] as number) + ms) / (bare[i] as number))),
    startup: summarize(runs.action.flatMap((sample) => (sample.startupMs === undefined ? [] : [sample.startupMs]))),
    phases: summarizeFields(runs.action.map((sample) => sample.phases)),
    barePhases: summarizeFields(runs.bare.map((sample) => sample.phases)),
    apiCalls: summarizeCounts(runs.action.map((sample) => sample.api)),
    registryRequests: {
      action: summarizeCounts(runs.action.map((sample) => sample.registry)),
      bare: summarizeCounts(runs.bare.map((sample) => sample.registry))
    },
    samples: { order: runs.order, action: runs.action, bare: runs.bare }
  }
}

interface SkipFigures {
  readonly runs: number
  readonly main: Summary
  readonly total: Summary
  readonly startup: Summary
  readonly phases: Record<string, Summary>
  readonly apiCalls: Record<string, Summary>
  readonly registryRequests: Record<string, Summary>
  readonly samples: ActionSample[]
}

function skipFigures(samples: ActionSample[]): SkipFigures {
  return {
    runs: samples.length,
    main: summarize(samples.map((sample) => sample.mainMs)),
    total: summarize(samples.map((sample) => sample.totalMs)),
    startup: summarize(samples.flatMap((sample) => (sample.startupMs === undefined ? [] : [sample.startupMs]))),
    phases: summarizeFields(samples.map((sample) => sample.phases)),
    apiCalls: summarizeCounts(samples.map((sample) => sample.api)),
    registryRequests: summarizeCounts(samples.map((sample) => sample.registry)),
    samples
  }
}

interface Verdict {
  readonly target: string
  readonly measured: string
  readonly met: boolean
}

function verdicts(tiny: ContextFigures, realistic: ContextFigures, skip: SkipFigures, startup: Summary): Record<string, Verdict> {
  const ms = (value: number): string => `${Math.round(value)} ms`
  return {
    tinyAddedTime: {
      target: `action (main + post) − bare ≤ ${TARGETS.tinyAddedMs} ms, paired median, tiny context`,
      measured: `${ms(tiny.difference.median)} (main step alone: ${ms(tiny.differenceMainOnly.median)})`,
      met: tiny.difference.median <= TARGETS.tinyAddedMs
    },
    realisticRatio: {
      target: `action (main + post) / bare ≤ ${TARGETS.realisticRatio}, paired median, realistic context`,
      measured: `${realistic.ratio.median.toFixed(3)} (main step alone: ${realistic.ratioMainOnly.median.toFixed(3)})`,
      met: realistic.ratio.median <= TARGETS.realisticRatio
    },
    skipPath: {
      target: `skip path ≤ ${TARGETS.skipMs} ms (main + post)`,
      measured: `${ms(skip.total.median)} (main step alone: ${ms(skip.main.median)})`,
      met: skip.total.median <= TARGETS.skipMs
    },
    startup: {
      target: `start-up (spawn → first ECR request) ≤ ${TARGETS.startupMs} ms, median of every action run`,
      measured: ms(startup.median),
      met: startup.median <= TARGETS.startupMs
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Printing.

const LABEL_WIDTH = 72

function row(label: string, value: string, indent = 2): string {
  return `${' '.repeat(indent)}${label.padEnd(LABEL_WIDTH - indent)} ${value}`
}

/** The header's "name  value" lines. */
function field(label: string, value: string): string {
  return `${label.padEnd(13)} ${value}`
}

function countsLine(counts: Record<string, Summary>): string {
  const entries = Object.entries(counts)
  if (entries.length === 0) return 'none'
  const total = entries.reduce((sum, [, summary]) => sum + summary.median, 0)
  return `${entries.map(([key, summary]) => `${key} ${formatCount(summary)}`).join(', ')} (total ${Math.round(total)})`
}

function phaseLines(phases: Record<string, Summary>, labels: Record<string, string>, indent: number): string[] {
  return Object.entries(labels)
    .filter(([key]) => (phases[key]?.n ?? 0) > 0)
    .map(([key, label]) => row(label, formatMs(phases[key] as Summary), indent))
}

function contextReport(figures: ContextFigures): string[] {
  return [
    `${figures.context} context (${figures.description}); ${figures.pairs} ABBA pair${figures.pairs === 1 ? '' : 's'}`,
    row('action: main + post steps', formatMs(figures.action.total)),
    row('  main step', formatMs(figures.action.main)),
    row('  post step', formatMs(figures.action.post)),
    row('bare docker buildx build --push', formatMs(figures.bare)),
    row(
      'difference per pair (action − bare)',
      `${formatMs(figures.difference, { signed: true })}   main step only: ${formatMs(figures.differenceMainOnly, { signed: true })}`
    ),
    row('ratio per pair (action / bare)', `${formatRatio(figures.ratio)}   main step only: ${formatRatio(figures.ratioMainOnly)}`),
    row("action's own time (all but its build and push)", formatMs(figures.ownTime)),
    row('ratio from own time, per pair (bare + own) / bare', formatRatio(figures.ownTimeRatio)),
    row('start-up (spawn → first ECR request)', formatMs(figures.startup)),
    row('ECR API calls per action run', countsLine(figures.apiCalls)),
    row('registry requests per action run', countsLine(figures.registryRequests.action)),
    row('registry requests per bare build', countsLine(figures.registryRequests.bare)),
    "  where the action run's time goes (median of each phase; the phases add up to main + post):",
    ...phaseLines(figures.phases, ACTION_PHASES, 4),
    '  the bare build, same pairs:',
    ...phaseLines(figures.barePhases, BARE_PHASES, 4)
  ]
}

function distReport(dist: DistSizes): string[] {
  const files = (group: { files: { file: string; bytes: number }[] }): string => group.files.map((file) => `${file.file} ${formatBytes(file.bytes)}`).join(', ')
  return [
    'dist/build/',
    row('main step loads', dist.mainStep ? `${formatBytes(dist.mainStep.bytes)}: ${files(dist.mainStep)}` : 'n/a (the module census did not work)'),
    row('post step loads', dist.postStep ? `${formatBytes(dist.postStep.bytes)}: ${files(dist.postStep)}` : 'n/a'),
    row('every .js/.cjs file', formatBytes(dist.allJavaScript.bytes)),
    row('everything (source maps, licenses)', formatBytes(dist.totalBytes))
  ]
}

interface Report {
  readonly schema: 1
  readonly startedAt: string
  readonly durationSeconds: number
  readonly code: CodeUnderTest
  readonly machine: Machine
  /** 1-, 5- and 15-minute load averages when the bench started: other work on the machine skews every figure. */
  readonly loadAverageAtStart: number[]
  readonly settings: {
    readonly pairs: number
    readonly node: string
    readonly realisticLoopIterations: number
    readonly realisticRandomLayerMiB: number
    readonly nodeStartupRuns: number
    readonly builderInspectRuns: number
  }
  readonly targets: typeof TARGETS
  readonly verdicts: Record<string, Verdict>
  readonly tiny: ContextFigures
  readonly realistic: ContextFigures
  readonly skip: SkipFigures
  /** Every action run: tiny, realistic and skip path. */
  readonly startup: Summary
  readonly nodeStartup: Summary
  readonly builderInspect: Summary
  readonly dist: DistSizes
  /** Untimed runs with the action's docker calls logged: where the waits come from. */
  readonly traces: TraceRun[]
}

function traceLine(trace: TraceRun): string {
  const { sample } = trace
  const ms = (value: number | undefined): string => (value === undefined ? '?' : String(Math.round(value)))
  const lookupsAnswered = sample.startupMs === undefined || sample.phases.lookups === undefined ? undefined : sample.startupMs + sample.phases.lookups
  return [
    `first ECR request ${ms(sample.startupMs)}`,
    `look-ups answered ${ms(lookupsAnswered)}`,
    ...trace.docker.map((call) => `docker ${call.command} ${ms(call.startMs)} → ${ms(call.endMs)}`),
    `main step exits ${ms(sample.mainMs)}`
  ].join('; ')
}

function printReport(report: Report): void {
  const { code, machine } = report
  const lines = [
    '',
    `immutable-ecr-build benchmark, ${report.startedAt}`,
    field('code', `${code.commit}${code.dirty ? ` (uncommitted changes${code.distChanged ? ', including dist/' : '; dist/ as committed'})` : ''}`),
    field('cpu, memory', `${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB`),
    field('system', `${machine.os}, kernel ${machine.kernel}`),
    field('docker', `client ${machine.dockerClient}, engine ${machine.dockerEngine}; buildx ${machine.buildx} (${machine.builder})`),
    field('load', `${report.loadAverageAtStart.map((load) => load.toFixed(2)).join(' ')} (1, 5, 15 min) when the bench started`),
    field('node', `${machine.actionNode} runs the action (${report.settings.node}); the harness runs on ${machine.harnessNode}`),
    field('figures', 'median (min – max), milliseconds unless said otherwise'),
    '',
    ...contextReport(report.tiny),
    '',
    ...contextReport(report.realistic),
    '',
    `skip path (if-tag-exists: skip, every tag already exists); ${report.skip.runs} run${report.skip.runs === 1 ? '' : 's'}`,
    row('main + post steps', formatMs(report.skip.total)),
    row('  main step (spawn → exit, outputs written)', formatMs(report.skip.main)),
    row('start-up (spawn → first ECR request)', formatMs(report.skip.startup)),
    row('ECR API calls per run', countsLine(report.skip.apiCalls)),
    row('registry requests per run', countsLine(report.skip.registryRequests)),
    '  where the time goes:',
    ...phaseLines(report.skip.phases, ACTION_PHASES, 4),
    '',
    'start-up and context',
    row(`action start-up, all ${report.startup.n} action runs`, formatMs(report.startup)),
    row("node -e 0 (node's own start-up, the steps' environment)", formatMs(report.nodeStartup)),
    row('docker buildx inspect (what the action waits on)', formatMs(report.builderInspect)),
    '',
    ...distReport(report.dist),
    '',
    "traces: one untimed run each, a docker shim logs the action's docker calls (ms after the main step's spawn)",
    ...report.traces.map((trace) => `  ${trace.scenario}: ${traceLine(trace)}`),
    '',
    'targets (issue #4)',
    ...Object.values(report.verdicts).map((verdict) => `  ${verdict.met ? 'met   ' : 'MISSED'} ${verdict.target}: ${verdict.measured}`),
    ''
  ]
  process.stdout.write(`${lines.join('\n')}\n`)
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const settings = parseSettings(process.argv.slice(2))
  const startedAt = new Date()
  const started = performance.now()
  const progress = (message: string): void => {
    process.stderr.write(`bench [${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}\n`)
  }
  // Before anything spawns: every timestamp below comes from this probe.
  installSpawnProbe()
  const loadAverageAtStart = os.loadavg()
  if ((loadAverageAtStart[0] ?? 0) > 0.5) {
    progress(
      `warning: load average ${loadAverageAtStart[0]?.toFixed(2)}: something else is running, and on ${os.availableParallelism()} cores it will show in every figure`
    )
  }
  const [code, machine] = await Promise.all([describeCode(), describeMachine(settings.node)])
  progress(`${settings.pairs} pairs per context; the action runs on node ${machine.actionNode}`)

  const bench = await openBench(settings.node)
  let report: Report
  try {
    const { tiny, realistic } = bench.contexts
    const tinyRuns = await runPairs(bench, tiny, settings.pairs, progress)
    const skipRuns = await runSkipPath(bench, tiny, tinyRuns.action, settings.pairs, progress)
    const realisticRuns = await runPairs(bench, realistic, settings.pairs, progress)
    progress('dist/build/: which files each step loads (one more, untimed run)')
    const dist = await measureDistSizes(bench, tiny)
    progress("traces of the action's docker calls (two more, untimed runs)")
    const pushed = tinyRuns.action[0] as ActionSample
    const traces = [
      await traceDockerCalls(bench, tiny, 'tiny push run'),
      await traceDockerCalls(bench, tiny, 'skip path run', { sha: pushed.sha, ifTagExists: 'skip', expectDigest: pushed.digest })
    ]
    progress(`node -e 0 ×${NODE_STARTUP_RUNS}, docker buildx inspect ×${BUILDER_INSPECT_RUNS}`)
    const nodeStartup = summarize(await timeCommand(settings.node, ['-e', '0'], NODE_STARTUP_RUNS, stepLikeEnvironment()))
    const builderInspect = summarize(await timeCommand('docker', ['buildx', 'inspect'], BUILDER_INSPECT_RUNS))

    const tinyFigures = contextFigures(tiny, tinyRuns)
    const realisticFigures = contextFigures(realistic, realisticRuns)
    const skip = skipFigures(skipRuns)
    const startup = summarize(
      [...tinyRuns.action, ...realisticRuns.action, ...skipRuns].flatMap((sample) => (sample.startupMs === undefined ? [] : [sample.startupMs]))
    )
    report = {
      schema: 1,
      startedAt: startedAt.toISOString(),
      durationSeconds: Math.round((performance.now() - started) / 100) / 10,
      code,
      machine,
      loadAverageAtStart,
      settings: {
        pairs: settings.pairs,
        node: settings.node,
        realisticLoopIterations: LOOP_ITERATIONS,
        realisticRandomLayerMiB: RANDOM_LAYER_MIB,
        nodeStartupRuns: NODE_STARTUP_RUNS,
        builderInspectRuns: BUILDER_INSPECT_RUNS
      },
      targets: TARGETS,
      verdicts: verdicts(tinyFigures, realisticFigures, skip, startup),
      tiny: tinyFigures,
      realistic: realisticFigures,
      skip,
      startup,
      nodeStartup,
      builderInspect,
      dist,
      traces
    }
  } finally {
    await bench.close()
  }

  printReport(report)
  const directory = path.join(REPO_ROOT, 'bench-results')
  await mkdir(directory, { recursive: true })
  const stamp = startedAt
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
  const file = path.join(directory, `${code.commit}-${stamp}.json`)
  // Hundredths of a millisecond are already below what the clocks here resolve.
  const rounded = (_key: string, value: unknown): unknown => (typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 100) / 100 : value)
  await writeFile(file, `${JSON.stringify(report, rounded, 2)}\n`)
  process.stdout.write(`results: ${path.relative(process.cwd(), file) || file}\n`)
  process.stdout.write(`the benchmark took ${report.durationSeconds} s (set-up not included)\n`)
}

main().catch((error: unknown) => {
  const text = error instanceof UsageError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)
  process.stderr.write(`bench: ${text}\n`)
  process.exitCode = 1
})
