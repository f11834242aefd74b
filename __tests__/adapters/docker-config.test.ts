import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RegistryCredentials } from '../../src/adapters/ecr.js'
import {
  privateDockerConfig,
  readDockerContextFiles,
  userDockerConfigDir,
  writePrivateDockerConfig,
  type DockerConfig
} from '../../src/adapters/docker-config.js'

const HOST = '123456789012.dkr.ecr.us-east-1.amazonaws.com'
const CREDENTIALS: RegistryCredentials = { registryHost: HOST, endpoint: `https://${HOST}`, username: 'AWS', password: 'pa:ss/word+' }
const ECR_AUTH = { auth: Buffer.from('AWS:pa:ss/word+').toString('base64') }

describe('privateDockerConfig', () => {
  it.each<[string, DockerConfig, DockerConfig]>([
    ['an empty config', {}, { auths: { [HOST]: ECR_AUTH } }],
    [
      'other registries’ logins are kept',
      { auths: { 'ghcr.io': { auth: 'Z2g6dG9r' }, 'https://index.docker.io/v1/': { auth: 'ZDpo' } } },
      { auths: { 'ghcr.io': { auth: 'Z2g6dG9r' }, 'https://index.docker.io/v1/': { auth: 'ZDpo' }, [HOST]: ECR_AUTH } }
    ],
    ['an old login for the ECR host is replaced', { auths: { [HOST]: { auth: 'b2xkOm9sZA==' } } }, { auths: { [HOST]: ECR_AUTH } }],
    ['credsStore is dropped', { credsStore: 'desktop', auths: {} }, { auths: { [HOST]: ECR_AUTH } }],
    [
      'the ECR host’s credHelper is dropped, other helpers kept',
      { credHelpers: { [HOST]: 'ecr-login', 'gcr.io': 'gcloud' } },
      { credHelpers: { 'gcr.io': 'gcloud' }, auths: { [HOST]: ECR_AUTH } }
    ],
    ['credHelpers disappear when only the ECR host’s was there', { credHelpers: { [HOST]: 'ecr-login' } }, { auths: { [HOST]: ECR_AUTH } }],
    [
      'other settings are kept',
      { currentContext: 'remote', proxies: { default: { httpProxy: 'http://proxy:3128' } }, experimental: 'enabled' },
      { currentContext: 'remote', proxies: { default: { httpProxy: 'http://proxy:3128' } }, experimental: 'enabled', auths: { [HOST]: ECR_AUTH } }
    ]
  ])('%s', (_name, input, expected) => {
    expect(privateDockerConfig(input, CREDENTIALS)).toEqual(expected)
  })

  it('never mutates the user’s config', () => {
    const input: DockerConfig = {
      auths: { 'ghcr.io': { auth: 'x' } },
      credHelpers: { [HOST]: 'ecr-login', 'gcr.io': 'gcloud' },
      credsStore: 'pass',
      proxies: { default: {} }
    }
    const before = structuredClone(input)
    const result = privateDockerConfig(input, CREDENTIALS)
    expect(input).toEqual(before)
    expect(result.auths).not.toBe(input.auths)
    expect(result.credHelpers).not.toBe(input.credHelpers)
  })

  it('the auth is base64 of username:password, the password kept whole even with colons', () => {
    const auth = (privateDockerConfig({}, CREDENTIALS).auths?.[HOST] as { auth: string }).auth
    expect(Buffer.from(auth, 'base64').toString('utf8')).toBe('AWS:pa:ss/word+')
  })
})

describe('userDockerConfigDir', () => {
  it.each([
    [{ DOCKER_CONFIG: '/custom/docker', HOME: '/home/u' }, '/custom/docker'],
    [{ HOME: '/home/u' }, '/home/u/.docker'],
    [{ DOCKER_CONFIG: '', HOME: '/home/u' }, '/home/u/.docker'],
    [{}, join(homedir(), '.docker')]
  ])('%j → %s', (env, dir) => {
    expect(userDockerConfigDir(env)).toBe(dir)
  })
})

describe('writePrivateDockerConfig', () => {
  let root: string
  let home: string
  let userDir: string
  let privateDir: string

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'ieb-auth-'))
    home = join(root, 'home')
    userDir = join(home, '.docker')
    mkdirSync(userDir, { recursive: true })
    privateDir = join(root, 'work', 'docker-config')
  })
  afterEach(() => rmSync(root, { recursive: true, force: true }))

  const write = (env: NodeJS.ProcessEnv = { HOME: home }) => writePrivateDockerConfig({ directory: privateDir, credentials: CREDENTIALS, env })
  const privateConfig = (): DockerConfig => JSON.parse(readFileSync(join(privateDir, 'config.json'), 'utf8')) as DockerConfig

  it('writes config.json with mode 0600 in a folder with mode 0700', () => {
    write()
    expect(statSync(privateDir).mode & 0o777).toBe(0o700)
    expect(statSync(join(privateDir, 'config.json')).mode & 0o777).toBe(0o600)
    expect(privateConfig()).toEqual({ auths: { [HOST]: ECR_AUTH } })
  })

  it('returns the environment docker must use: DOCKER_CONFIG private, BUILDX_CONFIG the user’s buildx folder', () => {
    const result = write({ HOME: home, PATH: '/usr/bin', AWS_REGION: 'us-east-1' })
    expect(result.env).toEqual({
      HOME: home,
      PATH: '/usr/bin',
      AWS_REGION: 'us-east-1',
      DOCKER_CONFIG: privateDir,
      BUILDX_CONFIG: join(userDir, 'buildx')
    })
    expect(result.droppedCredsStore).toBeUndefined()
  })

  it('keeps a BUILDX_CONFIG the user set, and reads the user’s DOCKER_CONFIG', () => {
    const custom = join(root, 'custom-docker')
    mkdirSync(custom)
    writeFileSync(join(custom, 'config.json'), JSON.stringify({ auths: { 'ghcr.io': { auth: 'eA==' } } }))
    const result = write({ HOME: home, DOCKER_CONFIG: custom, BUILDX_CONFIG: '/opt/buildx' })
    expect(result.env.BUILDX_CONFIG).toBe('/opt/buildx')
    expect(result.env.DOCKER_CONFIG).toBe(privateDir)
    expect(privateConfig().auths).toEqual({ 'ghcr.io': { auth: 'eA==' }, [HOST]: ECR_AUTH })
  })

  it('leaves the user’s config.json byte for byte as it was, and reports the dropped credsStore', () => {
    const original = '{\n  "credsStore": "secretservice",\n  "auths": {"ghcr.io": {"auth": "Z2g6dG9r"}},\n  "credHelpers": {"' + HOST + '": "ecr-login"}\n}\n'
    writeFileSync(join(userDir, 'config.json'), original)
    const mtime = statSync(join(userDir, 'config.json')).mtimeMs
    const result = write()
    expect(readFileSync(join(userDir, 'config.json'), 'utf8')).toBe(original)
    expect(statSync(join(userDir, 'config.json')).mtimeMs).toBe(mtime)
    expect(result.droppedCredsStore).toBe('secretservice')
    expect(privateConfig()).toEqual({ auths: { 'ghcr.io': { auth: 'Z2g6dG9r' }, [HOST]: ECR_AUTH } })
  })

  it('links cli-plugins and contexts from the user’s folder so buildx and named contexts resolve', () => {
    mkdirSync(join(userDir, 'cli-plugins'))
    writeFileSync(join(userDir, 'cli-plugins', 'docker-buildx'), '#!/bin/sh\n')
    mkdirSync(join(userDir, 'contexts'))
    write()
    for (const shared of ['cli-plugins', 'contexts']) {
      expect(lstatSync(join(privateDir, shared)).isSymbolicLink()).toBe(true)
      expect(readlinkSync(join(privateDir, shared))).toBe(join(userDir, shared))
    }
    expect(readFileSync(join(privateDir, 'cli-plugins', 'docker-buildx'), 'utf8')).toBe('#!/bin/sh\n')
  })

  it('links nothing the user does not have', () => {
    write()
    expect(() => lstatSync(join(privateDir, 'cli-plugins'))).toThrow(/ENOENT/)
    expect(() => lstatSync(join(privateDir, 'contexts'))).toThrow(/ENOENT/)
  })

  it('writing twice (a second call in one job) keeps the links and rewrites the login', () => {
    mkdirSync(join(userDir, 'contexts'))
    write()
    writePrivateDockerConfig({ directory: privateDir, credentials: { ...CREDENTIALS, password: 'second' }, env: { HOME: home } })
    expect(lstatSync(join(privateDir, 'contexts')).isSymbolicLink()).toBe(true)
    const auth = (privateConfig().auths?.[HOST] as { auth: string }).auth
    expect(Buffer.from(auth, 'base64').toString()).toBe('AWS:second')
  })

  it.each([
    ['not JSON', '{ not json'],
    ['JSON null', 'null'],
    ['a JSON string', '"text"']
  ])('a user config that is %s is treated as empty', (_name, content) => {
    writeFileSync(join(userDir, 'config.json'), content)
    const result = write()
    expect(privateConfig()).toEqual({ auths: { [HOST]: ECR_AUTH } })
    expect(result.droppedCredsStore).toBeUndefined()
    expect(readFileSync(join(userDir, 'config.json'), 'utf8')).toBe(content)
  })
})

describe('readDockerContextFiles', () => {
  it('reads a context’s docker endpoint where the CLI keeps it (contexts/meta/<sha256 of the name>/meta.json)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ieb-contexts-'))
    try {
      const meta = join(dir, 'contexts', 'meta', createHash('sha256').update('desktop-linux').digest('hex'))
      mkdirSync(meta, { recursive: true })
      writeFileSync(
        join(meta, 'meta.json'),
        JSON.stringify({ Name: 'desktop-linux', Endpoints: { docker: { Host: 'unix:///home/me/.docker/run/docker.sock' } } })
      )
      writeFileSync(join(dir, 'config.json'), '{"currentContext":"desktop-linux"}')
      const files = readDockerContextFiles({ DOCKER_CONFIG: dir })
      expect(files.dockerConfig).toBe('{"currentContext":"desktop-linux"}')
      expect(files.contextHost('desktop-linux')).toBe('unix:///home/me/.docker/run/docker.sock')
      expect(files.contextHost('other')).toBeUndefined()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
