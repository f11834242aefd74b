import { describe, expect, it } from '@jest/globals'
import { assertBuilderCan, chooseUploadPath, uploadPathNote, type BuilderInfo, type UploadPath } from '../../src/build-image/builder-capabilities.js'
import { UserError } from '../../src/shared/errors.js'

const classic: BuilderInfo = { driver: 'docker', imageStore: 'classic' }
const containerd: BuilderInfo = { driver: 'docker', imageStore: 'containerd' }

describe('chooseUploadPath', () => {
  it.each<[string, boolean, BuilderInfo, string]>([
    ['push: false builds locally on any builder', false, { driver: 'docker-container', imageStore: undefined }, 'local'],
    ['docker driver, classic store: the engine pushes a staging tag', true, classic, 'daemon'],
    ['docker driver, store unknown: treated as classic', true, { driver: 'docker', imageStore: undefined }, 'daemon'],
    ['docker driver, containerd store, no route to its BuildKit: OCI layout uploaded by the action', true, containerd, 'layout'],
    ["docker driver, containerd store, the engine's BuildKit reached: it pushes by digest", true, { ...containerd, engineRoute: true }, 'engine'],
    ['docker driver, classic store: the route does not matter (no image exporter there)', true, { ...classic, engineRoute: true }, 'daemon'],
    ['push: false: the route does not matter', false, { ...containerd, engineRoute: true }, 'local'],
    ['docker-container (setup-buildx-action): BuildKit pushes by digest', true, { driver: 'docker-container', imageStore: undefined }, 'digest'],
    ['remote', true, { driver: 'remote', imageStore: undefined }, 'digest'],
    ['kubernetes', true, { driver: 'kubernetes', imageStore: undefined }, 'digest'],
    ['driver not reported: a BuildKit builder, by digest', true, { driver: undefined, imageStore: undefined }, 'digest']
  ])('%s', (_name, push, builder, path) => {
    expect(chooseUploadPath(push, builder)).toBe(path)
  })
})

describe('assertBuilderCan', () => {
  it.each<[string, BuilderInfo, number, boolean, string | undefined]>([
    [
      'classic store, two platforms',
      classic,
      2,
      false,
      "Input 'platforms' lists 2 platforms, but the active buildx builder uses the docker driver on the classic image store, which builds one"
    ],
    [
      'classic store, cache: ecr',
      classic,
      1,
      true,
      "Input 'cache' 'ecr' needs a builder that can export a registry cache, but the active buildx builder uses the docker driver on the classic image store"
    ],
    ['classic store, one platform, no cache', classic, 1, false, undefined],
    ['containerd store, two platforms and cache', containerd, 2, true, undefined],
    ['docker-container, two platforms and cache', { driver: 'docker-container', imageStore: undefined }, 2, true, undefined]
  ])('%s', (_name, builder, platforms, registryCache, message) => {
    const check = (): void => assertBuilderCan(builder, { platforms, registryCache })
    if (message === undefined) expect(check).not.toThrow()
    else {
      expect(check).toThrow(UserError)
      expect(check).toThrow(message)
    }
  })
})

describe('uploadPathNote', () => {
  it.each<[UploadPath, string | undefined, RegExp]>([
    ['engine', undefined, /^Upload path: the engine's own BuildKit pushes by digest .*POST \/grpc/],
    [
      'layout',
      'the engine endpoint tcp://10.0.0.2:2376 is not a unix socket',
      /OCI layout .*not reachable as a builder: the engine endpoint tcp:\/\/10\.0\.0\.2:2376 is not a unix socket\)\.$/
    ],
    ['digest', undefined, /^Upload path: the BuildKit builder pushes by digest/],
    ['daemon', undefined, /staging tag/],
    ['local', undefined, /push: false/]
  ])('%s', (path, reason, expected) => {
    expect(uploadPathNote(path, reason)).toMatch(expected)
  })
})
