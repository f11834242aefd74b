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
  const fullEnv = { HOME: root, DOCKER_HOST: `unix://${engine.socketPath}`, ...env }
  return { ctx: { inputs, workDir, docker: new FakeDocker(new FakeEcr()), env: fullEnv }, env: fullEnv }
}

describe('openEngineRoute', () => {
  it('listens in a folder only this user can enter, defines the builder in a private BUILDX_CONFIG', async () => {
    const { ctx, env } = await context('work')
    const result = await openEngineRoute(ctx, env)
    if (!('route' in result)) throw new Error(result.unavailable)
    expect(statSync(join(ctx.workDir, 'buildkit')).mode & 0o777).toBe(0o700)
    expect(result.route.env.BUILDX_CONFIG).toBe(join(ctx.workDir, 'buildx'))
    expect(ctx.docker.remoteBuilders.get(result.route.builder)).toEqual({
      endpoint: `unix://${join(ctx.workDir, 'buildkit', 'engine.sock')}`,
      buildxConfig: join(ctx.workDir, 'buildx')
    })
    expect(await echoThrough(join(ctx.workDir, 'buildkit', 'engine.sock'), 'ping')).toBe('ping')
    await result.route.close()
  })

  it("carries the user's build node id into the private config (BuildKit reuses a context sent before), reading the user's folder only", async () => {
    const { ctx, env } = await context('work')
    const userBuildx = join(root, 'user-buildx')
    mkdirSync(userBuildx)
    writeFileSync(join(userBuildx, '.buildNodeID'), 'f00dfeed')
    const result = await openEngineRoute(ctx, { ...env, BUILDX_CONFIG: userBuildx })
    if (!('route' in result)) throw new Error(result.unavailable)
    expect(readFileSync(join(ctx.workDir, 'buildx', '.buildNodeID'), 'utf8')).toBe('f00dfeed')
    expect(statSync(join(ctx.workDir, 'buildx')).mode & 0o777).toBe(0o700)
    expect(readdirSync(userBuildx)).toEqual(['.buildNodeID'])
    await result.route.close()
  })

  it('no node id of the user: none written (buildx makes its own in the private folder)', async () => {
    const { ctx, env } = await context('work')
    const result = await openEngineRoute(ctx, { ...env, BUILDX_CONFIG: join(root, 'absent') })
    if (!('route' in result)) throw new Error(result.unavailable)
    expect(readdirSync(join(ctx.workDir, 'buildx'))).toEqual([])
    await result.route.close()
  })

  it('a work folder so deep that the socket path would pass 107 bytes: unavailable, nothing started', async () => {
    const { ctx, env } = await context('w'.repeat(100))
    const result = await openEngineRoute(ctx, env)
    expect(result).toEqual({
      unavailable: `the socket path ${join(ctx.workDir, 'buildkit', 'engine.sock')} is longer than a unix socket allows (107 bytes); a shorter RUNNER_TEMP enables it`
    })
    expect(engine?.requests).toEqual([])
    expect(ctx.docker.calls).toEqual([])
  })

  it('the switch off: unavailable without asking the engine', async () => {
    const { ctx, env } = await context('work', { IMMUTABLE_ECR_BUILD_ENGINE_ROUTE: 'off' })
    expect(await openEngineRoute(ctx, env)).toEqual({ unavailable: 'IMMUTABLE_ECR_BUILD_ENGINE_ROUTE is off' })
    expect(engine?.requests).toEqual([])
  })
})
