// Issue #3: two runs of the same commit at once, with different build contexts, against one
// registry. Each round uses a fresh SHA and a fresh repository; three rounds per repository kind
// make a lucky pass unlikely. The truth is what the registry's tag holds at the end.
import { describe, expect, test } from '@jest/globals'
import type { RequestLogEntry } from './support/ecr/ecr-endpoint.js'
import type { ActionRun } from './support/runner/runner.js'
import {
  builtConfigDigest,
  describeRequests,
  imageConfig,
  raceReport,
  randomSha,
  STAGING_TAG_PREFIX,
  startApiGate,
  useScenarioKit,
  within,
  releaseTags
} from './scenario-helpers.js'

const kit = useScenarioKit('race')
const ROUNDS = [1, 2, 3]

async function race(repository: string): Promise<{ sha: string; runs: ActionRun[]; requests: RequestLogEntry[] }> {
  const workspace = await kit.workspace({ a: { content: `context A ${randomSha()}\n` }, b: { content: `context B ${randomSha()}\n` } })
  const sha = randomSha()
  const { runs, requests } = await kit.runTogether(['a', 'b'].map((context) => ({ inputs: { repository, context }, workspace, sha })))
  return { sha, runs, requests }
}

function outcome(runs: ActionRun[]): Array<{ exitCode: number | null; digest: string; errors: string[] }> {
  return runs.map((run) => ({ exitCode: run.main.exitCode, digest: run.outputs['digest'] ?? '', errors: run.errors }))
}

describe('IMMUTABLE repository: exactly one run wins', () => {
  test.each(ROUNDS)('round %i: one succeeds, the other says "Another run pushed <tag> first", the tag holds the winner', async () => {
    const { endpoint } = kit
    const repository = kit.repository('immutable')
    endpoint.createRepository(repository, { mutability: 'IMMUTABLE' })

    const { sha, runs } = await race(repository)
    const results = outcome(runs)
    const served = await endpoint.manifestDigest(repository, sha)

    // Printed whole on failure, so a broken round shows both runs' exit codes and errors.
    expect(raceReport(runs)).toMatch(/^1 succeeded;/)
    expect(results.map((r) => r.exitCode).sort()).toEqual([0, 1])
    const winner = runs.find((run) => run.main.exitCode === 0) as ActionRun
    const loser = runs.find((run) => run.main.exitCode !== 0) as ActionRun

    expect(served).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(winner.outputs['digest']).toBe(served)
    expect(winner.outputs['pushed']).toBe('true')
    // The tag holds the winner's build, not just the digest it reported.
    const { configDigest } = await imageConfig(endpoint, repository, sha)
    expect(configDigest).toBe(builtConfigDigest(winner))

    expect(loser.errors).toHaveLength(1)
    // Through one BuildKit (a remote builder, the engine route) both builds push at once; the action keeps them out of
    // BuildKit's own image store (store=false), where two records of one name collided ("image … already exists").
    expect(loser.errors[0]).toContain(`Another run pushed ${sha} first (digest ${served})`)
    expect(loser.outputs['digest'] ?? '').toBe('')
    expect(await releaseTags(endpoint, repository)).toEqual([sha])
  })
})

describe('IMMUTABLE repository, one Docker engine shared by both runs (a self-hosted runner)', () => {
  test('forced order: A builds, B builds and loads last, A writes first: A wins with its own build', async () => {
    const { endpoint } = kit
    const repository = kit.repository('shared-engine')
    endpoint.createRepository(repository, { mutability: 'IMMUTABLE' })
    const workspace = await kit.workspace({ a: { content: `A ${randomSha()}\n` }, b: { content: `B ${randomSha()}\n` } })
    const sha = randomSha()
    // Each run talks to ECR through its own gate; a held call is what a slow network would do.
    const gateA = await startApiGate(endpoint)
    const gateB = await startApiGate(endpoint)
    try {
      // A's second BatchGetImage is its re-check before writing any tag: A has built and loaded by then.
      const aRecheck = gateA.hold('BatchGetImage', 2)
      const runA = kit.run({ inputs: { repository, context: 'a' }, workspace, sha, env: { AWS_ENDPOINT_URL_ECR: gateA.url } })
      await within(aRecheck.arrived, 20_000, "A's re-check")
      // B starts while the tag is still absent and builds into the same engine after A.
      const bRecheck = gateB.hold('BatchGetImage', 2)
      const runB = kit.run({ inputs: { repository, context: 'b' }, workspace, sha, env: { AWS_ENDPOINT_URL_ECR: gateB.url } })
      await within(bRecheck.arrived, 20_000, "B's re-check")
      aRecheck.release()
      const a = (await runA).run
      bRecheck.release()
      const b = (await runB).run

      const served = await endpoint.manifestDigest(repository, sha)
      expect(raceReport([a, b])).toMatch(/^1 succeeded; run 1: exit 0/)
      expect(a.outputs['digest']).toBe(served)
      const { configDigest } = await imageConfig(endpoint, repository, sha)
      expect(configDigest).toBe(builtConfigDigest(a))
      expect(configDigest).not.toBe(builtConfigDigest(b))
      expect(b.errors).toEqual([expect.stringContaining(`Another run pushed ${sha} first (digest ${served})`)])
      expect(await releaseTags(endpoint, repository)).toEqual([sha])
    } finally {
      await gateA.stop()
      await gateB.stop()
    }
  })
})

describe('MUTABLE repository: no run reports a digest the tag does not hold', () => {
  test.each(ROUNDS)('round %i: every successful run names the final image; no staging tag remains', async () => {
    const { endpoint } = kit
    const repository = kit.repository('mutable')
    endpoint.createRepository(repository, { mutability: 'MUTABLE' })

    const { sha, runs, requests } = await race(repository)
    const results = outcome(runs)
    const served = await endpoint.manifestDigest(repository, sha)
    const tags = await releaseTags(endpoint, repository)

    expect(served).toMatch(/^sha256:[0-9a-f]{64}$/)
    const succeeded = results.filter((r) => r.exitCode === 0)
    expect(succeeded.length).toBeGreaterThanOrEqual(1)
    // The core promise: a reported digest is what the tag points to.
    // On failure the diff also shows the ECR calls of both runs in the order the endpoint answered them.
    expect({ served, results, calls: describeRequests(requests.filter((e) => e.kind === 'api')) }).toEqual({
      served,
      results: results.map((r) => (r.exitCode === 0 ? { ...r, digest: served } : r)),
      calls: expect.anything()
    })
    for (const failed of runs.filter((run) => run.main.exitCode !== 0)) {
      expect(failed.errors).toHaveLength(1)
      expect(failed.errors[0]).toMatch(new RegExp(`Another run pushed ${sha} first|Another writer changed ${repository}:${sha}`))
      expect(failed.outputs['digest'] ?? '').toBe('')
    }
    expect(tags.filter((tag) => tag.startsWith(STAGING_TAG_PREFIX))).toEqual([])
    expect(tags).toEqual([sha])
  })
})

describe('MUTABLE repository, forced order (README: "a move that lands before a run\'s final read-back fails that run")', () => {
  test('B moves the tag between A\'s PutImage and A\'s read-back: A fails "Another writer changed", B wins', async () => {
    const { endpoint } = kit
    const repository = kit.repository('mutable-forced')
    endpoint.createRepository(repository, { mutability: 'MUTABLE' })
    const workspace = await kit.workspace({ a: { content: `A ${randomSha()}\n` }, b: { content: `B ${randomSha()}\n` } })
    const sha = randomSha()
    const gateA = await startApiGate(endpoint)
    const gateB = await startApiGate(endpoint)
    try {
      const aPut = gateA.hold('PutImage', 1)
      // A's BatchGetImage calls: the first check, the re-check after the upload, the final read-back. One
      // manifest on every column (no provenance index, whose proof reads its children in between).
      const aReadBack = gateA.hold('BatchGetImage', 3)
      const bPut = gateB.hold('PutImage', 1)
      const runA = kit.run({ inputs: { repository, context: 'a', provenance: 'false' }, workspace, sha, env: { AWS_ENDPOINT_URL_ECR: gateA.url } })
      const runB = kit.run({ inputs: { repository, context: 'b', provenance: 'false' }, workspace, sha, env: { AWS_ENDPOINT_URL_ECR: gateB.url } })
      // Both have re-checked (the SHA tag is absent) and are about to write it.
      await within(Promise.all([aPut.arrived, bPut.arrived]), 20_000, 'both PutImage calls')
      aPut.release()
      await within(aReadBack.arrived, 20_000, "A's read-back")
      bPut.release()
      const b = (await runB).run
      aReadBack.release()
      const a = (await runA).run

      const served = await endpoint.manifestDigest(repository, sha)
      expect(raceReport([a, b])).toMatch(/^1 succeeded; run 1: exit 1/)
      expect(b.outputs['digest']).toBe(served)
      const { configDigest } = await imageConfig(endpoint, repository, sha)
      expect(configDigest).toBe(builtConfigDigest(b))
      expect(a.errors).toEqual([expect.stringContaining(`Another writer changed ${repository}:${sha}`)])
      expect(a.outputs['digest'] ?? '').toBe('')
      expect((await releaseTags(endpoint, repository)).filter((tag) => tag.startsWith(STAGING_TAG_PREFIX))).toEqual([])
    } finally {
      await gateA.stop()
      await gateB.stop()
    }
  })
})

// Known issue, kept as a test that notices a fix: test.failing passes while the assertion (what README would
// promise without the limit) fails, and turns red the day it holds; then make it a plain test.
// The MUTABLE window left after the settle wait: a PutImage held back longer than the wait (here until the
// other run has finished) still moves the tag after that run reported. README's MUTABLE section states this
// limit; it stands while ECR has no compare-and-swap.
describe('Known issue: MUTABLE repository, a tag moved after the final read-back (test.failing)', () => {
  test.failing('a run whose tag is moved right after its final read-back does not report success', async () => {
    const { endpoint } = kit
    const repository = kit.repository('mutable-window')
    endpoint.createRepository(repository, { mutability: 'MUTABLE' })
    const workspace = await kit.workspace({ a: { content: `A ${randomSha()}\n` }, b: { content: `B ${randomSha()}\n` } })
    const sha = randomSha()
    const gateA = await startApiGate(endpoint)
    const gateB = await startApiGate(endpoint)
    try {
      // Both runs have uploaded under their staging tags and re-checked that the SHA tag is absent.
      const aPut = gateA.hold('PutImage', 1)
      const bPut = gateB.hold('PutImage', 1)
      const runA = kit.run({ inputs: { repository, context: 'a', provenance: 'false' }, workspace, sha, env: { AWS_ENDPOINT_URL_ECR: gateA.url } })
      const runB = kit.run({ inputs: { repository, context: 'b', provenance: 'false' }, workspace, sha, env: { AWS_ENDPOINT_URL_ECR: gateB.url } })
      await within(Promise.all([aPut.arrived, bPut.arrived]), 20_000, 'both PutImage calls')
      // A writes, reads back and finishes; B's PutImage (delayed in transit) lands afterwards.
      aPut.release()
      const a = (await runA).run
      bPut.release()
      const b = (await runB).run

      const served = await endpoint.manifestDigest(repository, sha)
      const results = [a, b].map((run) => ({ exitCode: run.main.exitCode, digest: run.outputs['digest'] ?? '', errors: run.errors }))
      expect({ served, results }).toEqual({ served, results: results.map((r) => (r.exitCode === 0 ? { ...r, digest: served } : r)) })
    } finally {
      await gateA.stop()
      await gateB.stop()
    }
  })
})
