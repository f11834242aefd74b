import { afterEach, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { driverFromBuildxConfig, readBuildxConfigFiles, type BuildxConfigFiles } from '../../src/adapters/buildx-config.js'

const current = (name: string, key = 'unix:///var/run/docker.sock', global = false): string => JSON.stringify({ Key: key, Name: name, Global: global })
const instance = (driver: string): string => JSON.stringify({ Name: 'x', Driver: driver, Nodes: [] })

function files(options: { current?: string; instances?: Record<string, string>; dockerConfig?: string; hasDefaults?: boolean } = {}): BuildxConfigFiles {
  return {
    current: options.current,
    instance: (name) => options.instances?.[name],
    dockerConfig: options.dockerConfig,
    hasDefaults: options.hasDefaults ?? false
  }
}
const ENGINE = 'unix:///run/engine/docker.sock'

describe('driverFromBuildxConfig', () => {
  it.each([
    ['no buildx state at all: the default builder, the docker driver', undefined, {}, files(), 'docker'],
    ['current names the default builder', undefined, {}, files({ current: current('') }), 'docker'],
    [
      'current names a docker-container builder (setup-buildx-action)',
      undefined,
      {},
      files({ current: current('ci'), instances: { ci: instance('docker-container') } }),
      'docker-container'
    ],
    ['current names a builder with no instance file', undefined, {}, files({ current: current('gone') }), undefined],
    // buildx keeps current per endpoint (checked against docker buildx 0.13: `use`, `use --global`, `use --default`)
    [
      'current belongs to another engine endpoint: this engine’s own builder',
      undefined,
      {},
      files({ current: current('ci', 'tcp://10.0.0.1:2376') }),
      'docker'
    ],
    [
      'current belongs to another endpoint and a `use --default` choice exists',
      undefined,
      {},
      files({ current: current('ci', 'tcp://10.0.0.1:2376'), hasDefaults: true }),
      undefined
    ],
    ['no current, a `use --default` choice exists', undefined, {}, files({ hasDefaults: true }), undefined],
    [
      'current is global: it applies on every endpoint',
      undefined,
      { DOCKER_HOST: ENGINE },
      files({ current: current('ci', 'tcp://10.0.0.1:2376', true), instances: { ci: instance('docker-container') } }),
      'docker-container'
    ],
    ['current is not JSON', undefined, {}, files({ current: 'garbage' }), undefined],
    ['DOCKER_HOST with no buildx state: that engine’s own builder', undefined, { DOCKER_HOST: ENGINE }, files(), 'docker'],
    [
      'DOCKER_HOST whose current names a builder',
      undefined,
      { DOCKER_HOST: ENGINE },
      files({ current: current('ci', ENGINE), instances: { ci: instance('docker-container') } }),
      'docker-container'
    ],
    [
      'DOCKER_HOST, current kept for the default socket',
      undefined,
      { DOCKER_HOST: ENGINE },
      files({ current: current('ci'), instances: { ci: instance('docker-container') } }),
      'docker'
    ],
    ['DOCKER_CONTEXT is set', undefined, { DOCKER_CONTEXT: 'remote' }, files(), undefined],
    ['config.json selects another context', undefined, {}, files({ dockerConfig: JSON.stringify({ currentContext: 'remote' }) }), undefined],
    ['config.json selects the default context', undefined, {}, files({ dockerConfig: JSON.stringify({ currentContext: 'default' }) }), 'docker'],
    ['the builder input names an instance', 'ci', {}, files({ instances: { ci: instance('kubernetes') } }), 'kubernetes'],
    ['the builder input names an unknown builder', 'other', {}, files(), undefined],
    ['the builder input is default', 'default', {}, files(), 'docker'],
    ['the builder input is default on another engine', 'default', { DOCKER_HOST: 'tcp://x:1' }, files(), 'docker'],
    ['the builder input is default in another docker context', 'default', { DOCKER_CONTEXT: 'remote' }, files(), undefined],
    // buildx's precedence: the --builder flag, then BUILDX_BUILDER
    [
      'the input wins over BUILDX_BUILDER',
      'ci',
      { BUILDX_BUILDER: 'remote' },
      files({ instances: { ci: instance('docker'), remote: instance('remote') } }),
      'docker'
    ],
    [
      'BUILDX_BUILDER when the input is empty',
      undefined,
      { BUILDX_BUILDER: 'remote' },
      files({ instances: { ci: instance('docker'), remote: instance('remote') } }),
      'remote'
    ],
    ['an instance file without a driver', 'ci', {}, files({ instances: { ci: JSON.stringify({ Name: 'ci' }) } }), undefined]
  ] as const)('%s → %s', (_name, builder, env, config, expected) => {
    expect(driverFromBuildxConfig(builder, env, config)).toBe(expected)
  })
})

describe('readBuildxConfigFiles', () => {
  let root = ''
  afterEach(() => rmSync(root, { recursive: true, force: true }))

  it('reads current, instances and config.json from the user’s folders, honouring BUILDX_CONFIG', () => {
    root = mkdtempSync(join(tmpdir(), 'ieb-buildx-'))
    const docker = join(root, 'docker')
    const buildx = join(root, 'buildx')
    mkdirSync(join(buildx, 'instances'), { recursive: true })
    mkdirSync(docker)
    writeFileSync(join(buildx, 'current'), current('ci'))
    writeFileSync(join(buildx, 'instances', 'ci'), instance('docker-container'))
    writeFileSync(join(docker, 'config.json'), '{}')
    const read = readBuildxConfigFiles({ DOCKER_CONFIG: docker, BUILDX_CONFIG: buildx })
    expect(read.current).toBe(current('ci'))
    expect(read.instance('ci')).toBe(instance('docker-container'))
    expect(read.instance('missing')).toBeUndefined()
    expect(read.instance('../current')).toBeUndefined()
    expect(read.dockerConfig).toBe('{}')
    expect(read.hasDefaults).toBe(false)
    expect(driverFromBuildxConfig(undefined, {}, read)).toBe('docker-container')
  })

  it('defaults to $DOCKER_CONFIG/buildx', () => {
    root = mkdtempSync(join(tmpdir(), 'ieb-buildx-'))
    mkdirSync(join(root, 'buildx'))
    writeFileSync(join(root, 'buildx', 'current'), current(''))
    expect(readBuildxConfigFiles({ DOCKER_CONFIG: root }).current).toBe(current(''))
  })

  it('notices a `use --default` choice in defaults/', () => {
    root = mkdtempSync(join(tmpdir(), 'ieb-buildx-'))
    mkdirSync(join(root, 'defaults'), { recursive: true })
    expect(readBuildxConfigFiles({ BUILDX_CONFIG: root }).hasDefaults).toBe(false)
    writeFileSync(join(root, 'defaults', 'b58f2a622f3b08114bc4'), 'ci')
    expect(readBuildxConfigFiles({ BUILDX_CONFIG: root }).hasDefaults).toBe(true)
  })
})
