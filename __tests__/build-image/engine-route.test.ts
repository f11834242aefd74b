import { afterEach, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openEngineRoute } from '../../src/build-image/engine-route.js'
import { parseInputs } from '../../src/build-image/inputs.js'
import { FakeDocker } from '../../__fixtures__/fake-docker.js'
import { FakeEcr } from '../../__fixtures__/fake-ecr.js'
import { echoThrough, startFakeEngine, type FakeEngine } from '../../__fixtures__/fake-engine.js'

let root = ''
let engine: FakeEngine | undefined
afterEach(async () => {
  await engine?.close()
  engine = undefined
  rmSync(root, { recursive: true, force: true })
})

async function context(workDirName: string, env: NodeJS.ProcessEnv = {}) {
  root = mkdtempSync(join(tmpdir(), 'ieb-route-'))
  engine = await startFakeEngine(join(root, 'engine.sock'))
  const workDir = join(root, workDirName)
  mkdirSync(workDir, { recursive: true })
  const inputs = parseInputs((name) => ({ repository: 'team/api', context: '.' })[name] ?? '', { AWS_REGION: 'eu-west-1' })
  const fullEnv: NodeJS.ProcessEnv = { HOME: root, DOCKER_HOST: `unix://${engine.socketPath}`, ...env }
  return { inputs, workDir, docker: new FakeDocker(new FakeEcr()), env: fullEnv }
}

describe('openEngineRoute', () => {
  it('listens in a folder only this user can enter, defines the builder in a private BUILDX_CONFIG', async () => {
    const ctx = await context('work')
    const result = await openEngineRoute(ctx)
    if (!('route' in result)) throw new Error(result.unavailable)
    expect(statSync(join(ctx.workDir, 'buildkit')).mode & 0o777).toBe(0o700)
    expect(result.route.buildxConfig).toBe(join(ctx.workDir, 'buildx'))
    expect(ctx.docker.remoteBuilders.get(result.route.builder)).toEqual({
      endpoint: `unix://${join(ctx.workDir, 'buildkit', 'engine.sock')}`,
      buildxConfig: join(ctx.workDir, 'buildx')
    })
    expect(await echoThrough(join(ctx.workDir, 'buildkit', 'engine.sock'), 'ping')).toBe('ping')
    // The build's end and the run's end both close it: the second waits for the same close.
    await Promise.all([result.route.close(), result.route.close()])
    await result.route.close()
    await expect(echoThrough(join(ctx.workDir, 'buildkit', 'engine.sock'), 'x')).rejects.toThrow()
  })

  it("defines the builder with the user's own environment: nothing from ECR is needed, so it can start before the look-ups", async () => {
    const ctx = await context('work')
    const result = await openEngineRoute(ctx)
    if (!('route' in result)) throw new Error(result.unavailable)
    const create = ctx.docker.calls.find((call) => call.args[1] === 'create')
    expect(create?.options.env).toEqual({ ...ctx.env, BUILDX_CONFIG: join(ctx.workDir, 'buildx') })
    await result.route.close()
  })

  it("carries the user's build node id into the private config (BuildKit reuses a context sent before), reading the user's folder only", async () => {
    const ctx = await context('work')
    const userBuildx = join(root, 'user-buildx')
    ctx.env.BUILDX_CONFIG = userBuildx
    mkdirSync(userBuildx)
    writeFileSync(join(userBuildx, '.buildNodeID'), 'f00dfeed')
    const result = await openEngineRoute(ctx)
    if (!('route' in result)) throw new Error(result.unavailable)
    expect(readFileSync(join(ctx.workDir, 'buildx', '.buildNodeID'), 'utf8')).toBe('f00dfeed')
    expect(statSync(join(ctx.workDir, 'buildx')).mode & 0o777).toBe(0o700)
    expect(readdirSync(userBuildx)).toEqual(['.buildNodeID'])
    await result.route.close()
  })

  it('no node id of the user: none written (buildx makes its own in the private folder)', async () => {
    const ctx = await context('work')
    ctx.env.BUILDX_CONFIG = join(root, 'absent')
    const result = await openEngineRoute(ctx)
    if (!('route' in result)) throw new Error(result.unavailable)
    expect(readdirSync(join(ctx.workDir, 'buildx'))).toEqual([])
    await result.route.close()
  })

  it('a work folder so deep that the socket path would pass 107 bytes: unavailable, nothing started', async () => {
    const ctx = await context('w'.repeat(100))
    const result = await openEngineRoute(ctx)
    expect(result).toEqual({
      unavailable: `the socket path ${join(ctx.workDir, 'buildkit', 'engine.sock')} is longer than a unix socket allows (107 bytes); a shorter RUNNER_TEMP enables it`
    })
    expect(engine?.requests).toEqual([])
    expect(ctx.docker.calls).toEqual([])
  })

  it('the switch off: unavailable without asking the engine', async () => {
    const ctx = await context('work', { IMMUTABLE_ECR_BUILD_ENGINE_ROUTE: 'off' })
    expect(await openEngineRoute(ctx)).toEqual({ unavailable: 'IMMUTABLE_ECR_BUILD_ENGINE_ROUTE is off' })
    expect(engine?.requests).toEqual([])
  })
})
