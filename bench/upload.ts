// npm run bench:upload (issues #11 and #16): on the containerd image store, the action's main step against a
// bare `docker buildx build --push` on the same engine for an incremental push (64 MiB unchanged + one small
// changed layer, into a repository that holds the big layer), a tiny image and a fresh 64 MiB layer, each
// through the engine's own BuildKit (the route, issue #16) and through the OCI-layout upload (forced with
// IMMUTABLE_ECR_BUILD_ENGINE_ROUTE=off, the path before it); then issue #11's figures: a ~200 MB own upload
// against the engine's push, a second push that changes one small layer, and what `cache: ecr` saves after
// `docker buildx prune -af`. Not a test: it prints medians (min – max) and writes them as JSON to bench-results/.
//
//   npm run bench:upload [-- --runs N] [-- --only paths]   (or BENCH_RUNS; default 5; --only paths: the first part alone)
import { randomBytes } from 'node:crypto'
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { startEcrEndpoint, type EcrEndpoint, type RequestLogEntry } from '../e2e/support/ecr/ecr-endpoint.js'
import { runCommand } from '../e2e/support/docker/real-parts.js'
import { REPO_ROOT, runAction } from '../e2e/support/runner/runner.js'
import { summarize } from './stats.js'

/** ~200 MB of incompressible layers: four 50 MiB random files, one COPY (one layer) each. */
const BIG_LAYERS = 4
const BIG_LAYER_MIB = 50

function settings(): { runs: number; onlyPaths: boolean } {
  const argv = process.argv.slice(2)
  const at = argv.indexOf('--runs')
  const runs = Number(at >= 0 ? argv[at + 1] : (process.env['BENCH_RUNS'] ?? '5'))
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs takes a whole number of at least 1')
  const only = argv.indexOf('--only')
  return { runs, onlyPaths: only >= 0 && argv[only + 1] === 'paths' }
}

const PATH_LAYER_MIB = 64

/** A context of busybox, an optional 64 MiB random layer and one small file, rewritten before every run. */
async function pathsContext(root: string, name: string, big: boolean): Promise<string> {
  const dir = path.join(root, name)
  await mkdir(dir, { recursive: true })
  await copyFile('/bin/busybox', path.join(dir, 'busybox'))
  const lines = big ? ['FROM scratch', 'COPY big.bin /data/big.bin', 'COPY small.txt /small.txt', ''] : ['FROM scratch', 'COPY small.txt /small.txt', '']
  if (big) await writeFile(path.join(dir, 'big.bin'), randomBytes(PATH_LAYER_MIB * 1024 * 1024))
  await writeFile(path.join(dir, 'small.txt'), 'seed\n')
  await writeFile(path.join(dir, 'Dockerfile'), lines.join('\n'))
  return dir
}

type PathSide = 'route' | 'layout' | 'bare'
const PATH_SIDES: readonly PathSide[] = ['route', 'layout', 'bare']

/**
 * Issue #16: the containerd store's upload paths against a bare push, medians of `runs` rounds; each round
 * runs the three sides in a rotated order, so drift on the machine falls on every side alike.
 */
async function containerdStorePaths(endpoint: EcrEndpoint, root: string, runs: number, node: string, dockerConfig: string): Promise<Record<string, unknown>> {
  const scenarios = [
    {
      name: 'incremental',
      describe: `${PATH_LAYER_MIB} MiB unchanged + a small changed layer, into a repository holding the big layer`,
      big: true,
      freshBig: false
    },
    { name: 'tiny', describe: 'one small layer', big: false, freshBig: false },
    { name: 'fresh-layer', describe: `a fresh ${PATH_LAYER_MIB} MiB layer every run`, big: true, freshBig: true }
  ] as const
  const out: Record<string, unknown> = {}
  for (const scenario of scenarios) {
    const context = await pathsContext(root, `paths-${scenario.name}`, scenario.big)
    const ms: Record<PathSide, number[]> = { route: [], layout: [], bare: [] }
    const repository = (side: PathSide): string => `bench/paths-${scenario.name}-${side}`
    for (const side of PATH_SIDES) endpoint.createRepository(repository(side), { mutability: side === 'bare' ? 'MUTABLE' : 'IMMUTABLE' })
    // Seed every repository with the big layer (the incremental case), and warm the build cache.
    for (const side of PATH_SIDES) await runSide(side, 'seed')
    for (let i = 0; i < runs; i++) {
      const order = PATH_SIDES.map((_, k) => PATH_SIDES[(i + k) % PATH_SIDES.length] as PathSide)
      for (const side of order) ms[side].push(await runSide(side, `${i}`))
      process.stderr.write(`paths ${scenario.name} ${i + 1}/${runs}: ${PATH_SIDES.map((side) => `${side} ${Math.round(ms[side][i] ?? 0)} ms`).join(', ')}\n`)
    }
    const summary = Object.fromEntries(PATH_SIDES.map((side) => [side, summarize(ms[side])])) as Record<PathSide, ReturnType<typeof summarize>>
    out[scenario.name] = {
      what: scenario.describe,
      mainStepRouteMs: summary.route,
      mainStepLayoutMs: summary.layout,
      bareBuildPushMs: summary.bare,
      routeAddsMs: summary.route.median - summary.bare.median,
      layoutAddsMs: summary.layout.median - summary.bare.median,
      routeRatio: summary.route.median / summary.bare.median,
      layoutRatio: summary.layout.median / summary.bare.median
    }

    // One run of one side: a new small layer (content unique to the side and round, so no side reuses
    // another's build cache), and for freshLayer a new big layer too; the file writes are not timed.
    async function runSide(side: PathSide, round: string): Promise<number> {
      await writeFile(path.join(context, 'small.txt'), `${side} ${round} ${randomBytes(4).toString('hex')}\n`)
      if (scenario.freshBig) await writeFile(path.join(context, 'big.bin'), randomBytes(PATH_LAYER_MIB * 1024 * 1024))
      if (side === 'bare') return bareBuildPush(endpoint, context, `${endpoint.registryHost}/${repository(side)}:r${round}`, dockerConfig)
      const env: Record<string, string> = side === 'layout' ? { IMMUTABLE_ECR_BUILD_ENGINE_ROUTE: 'off' } : {}
      // The bare push's DOCKER_CONFIG for the action too, as on one runner: buildx's build node id in it keys
      // the build context BuildKit keeps between builds, so no side sends the unchanged 64 MiB again.
      const run = await runTheAction(endpoint, context, { repository: repository(side) }, node, env, dockerConfig)
      if (!run.stdout.includes(side === 'route' ? "Upload path: the engine's own BuildKit" : 'Upload path: buildx exports an OCI layout')) {
        throw new Error(
          `the ${side} side did not take its path: ${run.stdout.split('\n').find((line) => line.includes('Upload path')) ?? 'no upload path line'}`
        )
      }
      return run.mainMs
    }
  }
  return out
}

async function bigContext(root: string): Promise<string> {
  const dir = await mkdtemp(path.join(root, 'big-'))
  await copyFile('/bin/busybox', path.join(dir, 'busybox'))
  const lines = ['FROM scratch', 'COPY busybox /bin/busybox']
  for (let i = 0; i < BIG_LAYERS; i++) {
    await writeFile(path.join(dir, `random-${i}.bin`), randomBytes(BIG_LAYER_MIB * 1024 * 1024))
    lines.push(`COPY random-${i}.bin /data/random-${i}.bin`)
  }
  lines.push('COPY small.txt /small.txt', '')
  await writeFile(path.join(dir, 'Dockerfile'), lines.join('\n'))
  await writeFile(path.join(dir, 'small.txt'), 'first\n')
  return dir
}

/** A context whose RUN step costs a few seconds of CPU, before one small layer that changes per run. */
async function cacheContext(root: string, content: string): Promise<string> {
  const dir = await mkdtemp(path.join(root, 'cache-'))
  await copyFile('/bin/busybox', path.join(dir, 'busybox'))
  await writeFile(path.join(dir, 'content.txt'), content)
  await writeFile(
    path.join(dir, 'Dockerfile'),
    [
      'FROM scratch',
      'COPY busybox /bin/busybox',
      // ~3 s of work that only an imported cache can skip.
      'RUN ["/bin/busybox", "sh", "-c", "i=0; while [ $i -lt 1500000 ]; do i=$((i+1)); done; /bin/busybox echo $i > /work.txt"]',
      'COPY content.txt /content.txt',
      ''
    ].join('\n')
  )
  return dir
}

function bytesUploaded(log: readonly RequestLogEntry[]): { blobs: number } {
  return { blobs: log.filter((entry) => entry.kind === 'registry' && entry.method === 'PUT' && (entry.path ?? '').includes('/blobs/uploads/')).length }
}

async function runTheAction(
  endpoint: EcrEndpoint,
  context: string,
  inputs: Record<string, string>,
  node: string,
  env: Record<string, string> = {},
  /** The runner's DOCKER_CONFIG kept between runs (a self-hosted runner's ~/.docker); a fresh one when absent. */
  dockerConfig?: string
): Promise<{ ms: number; mainMs: number; stdout: string; log: RequestLogEntry[]; digest: string }> {
  const mark = endpoint.requestLog.length
  const started = performance.now()
  const run = await runAction({
    inputs: { context, network: 'none', ...inputs },
    env: { ...endpoint.env(), ...env },
    ...(dockerConfig ? { dockerConfig } : {}),
    workspace: path.dirname(context),
    sha: randomBytes(20).toString('hex'),
    node,
    skipPost: true,
    timeoutMs: 600_000
  })
  const ms = performance.now() - started
  if (run.main.exitCode !== 0) throw new Error(`the action failed: ${run.errors.join(' | ') || run.main.stderr.slice(-2000)}`)
  return { ms, mainMs: run.main.durationMs, stdout: run.main.stdout, log: endpoint.requestLog.slice(mark), digest: run.outputs['digest'] ?? '' }
}

async function bareBuildPush(endpoint: EcrEndpoint, context: string, reference: string, dockerConfig: string): Promise<number> {
  const started = performance.now()
  const result = await runCommand('docker', ['buildx', 'build', '--progress=plain', '--network=none', '--push', '-t', reference, context], {
    env: { ...process.env, DOCKER_CONFIG: dockerConfig },
    timeoutMs: 600_000
  })
  if (result.code !== 0) throw new Error(`docker buildx build --push failed: ${result.stderr.slice(-2000)}`)
  return performance.now() - started
}

async function main(): Promise<void> {
  const { runs, onlyPaths } = settings()
  const node = process.env['BENCH_NODE'] || process.execPath
  const root = await mkdtemp(path.join(os.tmpdir(), 'bench-upload-'))
  const endpoint = await startEcrEndpoint()
  const dockerConfig = path.join(root, 'docker-config')
  await mkdir(dockerConfig)
  await writeFile(
    path.join(dockerConfig, 'config.json'),
    JSON.stringify({ auths: { [endpoint.registryHost]: { auth: Buffer.from(`AWS:${endpoint.password}`).toString('base64') } } })
  )
  const results: Record<string, unknown> = { engine: process.env['DOCKER_HOST'], runs }
  try {
    results['containerdStorePaths'] = await containerdStorePaths(endpoint, root, runs, node, dockerConfig)
    if (!onlyPaths) {
      // 1. ~200 MB: own upload vs the engine's push. The build itself is cached after the first run, so the
      // difference is export + upload. A fresh repository each time: every blob travels.
      const big = await bigContext(root)
      endpoint.createRepository('bench/warm', { mutability: 'MUTABLE' })
      await bareBuildPush(endpoint, big, `${endpoint.registryHost}/bench/warm:warm`, dockerConfig)
      const own: number[] = []
      const bare: number[] = []
      for (let i = 0; i < runs; i++) {
        // ABBA order, so drift on the machine falls on both sides.
        const order = i % 2 === 0 ? ['own', 'bare'] : ['bare', 'own']
        for (const side of order) {
          const repository = `bench/big-${side}-${i}`
          endpoint.createRepository(repository, { mutability: side === 'own' ? 'IMMUTABLE' : 'MUTABLE' })
          if (side === 'own') own.push((await runTheAction(endpoint, big, { repository }, node)).ms)
          else bare.push(await bareBuildPush(endpoint, big, `${endpoint.registryHost}/${repository}:bare`, dockerConfig))
        }
        process.stderr.write(
          `upload run ${i + 1}/${runs}: own ${`${Math.round(own[i] ?? 0)} ms`}, docker buildx build --push ${`${Math.round(bare[i] ?? 0)} ms`}\n`
        )
      }
      const ownSummary = summarize(own)
      const bareSummary = summarize(bare)
      results['upload200MB'] = { ownMs: ownSummary, bareMs: bareSummary, ratio: ownSummary.median / bareSummary.median }

      // 2. A second push into the same repository changing one small layer: only that blob (and the config) travel.
      const repeatRepo = 'bench/repeat'
      endpoint.createRepository(repeatRepo, { mutability: 'IMMUTABLE' })
      await runTheAction(endpoint, big, { repository: repeatRepo }, node)
      const second: number[] = []
      let blobsSent = 0
      for (let i = 0; i < runs; i++) {
        await writeFile(path.join(big, 'small.txt'), `change ${i} ${randomBytes(4).toString('hex')}\n`)
        const again = await runTheAction(endpoint, big, { repository: repeatRepo }, node)
        second.push(again.ms)
        blobsSent = bytesUploaded(again.log).blobs
      }
      // The same second push by the engine itself, and the OCI export alone (what the own upload adds locally).
      endpoint.createRepository('bench/repeat-bare', { mutability: 'MUTABLE' })
      await bareBuildPush(endpoint, big, `${endpoint.registryHost}/bench/repeat-bare:first`, dockerConfig)
      const secondBare: number[] = []
      const exportOnly: number[] = []
      for (let i = 0; i < runs; i++) {
        await writeFile(path.join(big, 'small.txt'), `bare change ${i} ${randomBytes(4).toString('hex')}\n`)
        secondBare.push(await bareBuildPush(endpoint, big, `${endpoint.registryHost}/bench/repeat-bare:r${i}`, dockerConfig))
        const dest = path.join(root, `export-${i}`)
        const started = performance.now()
        const exported = await runCommand(
          'docker',
          ['buildx', 'build', '--progress=quiet', '--network=none', `--output=type=oci,dest=${dest},tar=false`, big],
          {
            timeoutMs: 600_000
          }
        )
        if (exported.code !== 0) throw new Error(`the OCI export failed: ${exported.stderr.slice(-2000)}`)
        exportOnly.push(performance.now() - started)
        await rm(dest, { recursive: true, force: true })
      }
      results['secondPushOneSmallLayer'] = {
        ownMs: summarize(second),
        blobsUploaded: blobsSent,
        bareMs: summarize(secondBare),
        ociExportAloneMs: summarize(exportOnly)
      }

      // 3. cache: ecr after `docker buildx prune -af` vs the same build without the cache.
      const cached: number[] = []
      const uncached: number[] = []
      const cacheRepo = 'bench/cache'
      endpoint.createRepository(cacheRepo, { mutability: 'IMMUTABLE' })
      endpoint.createRepository(`${cacheRepo}-buildcache`, { mutability: 'MUTABLE' })
      await runTheAction(endpoint, await cacheContext(root, 'seed\n'), { repository: cacheRepo, cache: 'ecr' }, node)
      for (let i = 0; i < runs; i++) {
        for (const withCache of i % 2 === 0 ? [true, false] : [false, true]) {
          await runCommand('docker', ['buildx', 'prune', '-af'], { timeoutMs: 120_000 })
          const context = await cacheContext(root, `run ${i} ${withCache} ${randomBytes(4).toString('hex')}\n`)
          const run = await runTheAction(endpoint, context, { repository: cacheRepo, ...(withCache ? { cache: 'ecr' } : {}) }, node)
          ;(withCache ? cached : uncached).push(run.ms)
        }
        process.stderr.write(
          `cache run ${i + 1}/${runs}: with cache: ecr ${`${Math.round(cached[i] ?? 0)} ms`}, without ${`${Math.round(uncached[i] ?? 0)} ms`}\n`
        )
      }
      results['rebuildAfterPrune'] = {
        cacheEcrMs: summarize(cached),
        noCacheMs: summarize(uncached),
        ratio: summarize(cached).median / summarize(uncached).median
      }
    }
  } finally {
    await endpoint.stop()
    await rm(root, { recursive: true, force: true })
  }
  const outDir = path.join(REPO_ROOT, 'bench-results')
  await mkdir(outDir, { recursive: true })
  const file = path.join(outDir, `upload-${new Date().toISOString().replace(/[:.]/g, '-')}.json`)
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`)
  process.stdout.write(`${JSON.stringify(results, null, 2)}\nwritten to ${file}\n`)
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:upload: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
})
