import { describe, expect, it } from '@jest/globals'
import { resolveEngineEndpoint, type DockerContextFiles, type EngineEndpoint } from '../../src/build-image/engine-endpoint.js'

const contexts: Record<string, string> = {
  desktop: 'unix:///home/me/.docker/run/docker.sock',
  remote: 'tcp://10.0.0.2:2376',
  viassh: 'ssh://me@builder'
}
const files = (currentContext?: string): DockerContextFiles => ({
  dockerConfig: currentContext === undefined ? undefined : JSON.stringify({ currentContext }),
  contextHost: (name) => contexts[name]
})
const unix = (socketPath: string): EngineEndpoint => ({ kind: 'unix', socketPath })

describe('resolveEngineEndpoint (the docker CLI’s order)', () => {
  it.each<[string, string | undefined, NodeJS.ProcessEnv, DockerContextFiles, EngineEndpoint | undefined]>([
    ['nothing set: the default socket', undefined, {}, files(), unix('/var/run/docker.sock')],
    ['DOCKER_HOST unix', undefined, { DOCKER_HOST: 'unix:///run/docker-a.sock' }, files('desktop'), unix('/run/docker-a.sock')],
    ['DOCKER_HOST wins over DOCKER_CONTEXT', undefined, { DOCKER_HOST: 'unix:///run/a.sock', DOCKER_CONTEXT: 'remote' }, files(), unix('/run/a.sock')],
    ['DOCKER_HOST tcp', undefined, { DOCKER_HOST: 'tcp://127.0.0.1:2375' }, files(), { kind: 'other', endpoint: 'tcp://127.0.0.1:2375' }],
    ['DOCKER_HOST ssh', undefined, { DOCKER_HOST: 'ssh://me@host' }, files(), { kind: 'other', endpoint: 'ssh://me@host' }],
    ['a relative unix path is not used', undefined, { DOCKER_HOST: 'unix://docker.sock' }, files(), { kind: 'other', endpoint: 'unix://docker.sock' }],
    ['DOCKER_CONTEXT names a context', undefined, { DOCKER_CONTEXT: 'desktop' }, files(), unix('/home/me/.docker/run/docker.sock')],
    ['DOCKER_CONTEXT default', undefined, { DOCKER_CONTEXT: 'default' }, files('remote'), unix('/var/run/docker.sock')],
    ['config.json currentContext', undefined, {}, files('remote'), { kind: 'other', endpoint: 'tcp://10.0.0.2:2376' }],
    ['an unreadable context: unknown', undefined, { DOCKER_CONTEXT: 'gone' }, files(), undefined],
    [
      'a docker-driver builder named after a context uses that context',
      'viassh',
      { DOCKER_HOST: 'unix:///run/a.sock' },
      files(),
      { kind: 'other', endpoint: 'ssh://me@builder' }
    ],
    ['BUILDX_BUILDER likewise', undefined, { BUILDX_BUILDER: 'desktop' }, files(), unix('/home/me/.docker/run/docker.sock')],
    ['builder default: the current engine', 'default', { DOCKER_HOST: 'unix:///run/a.sock' }, files(), unix('/run/a.sock')],
    ['a builder that is no context: unknown', 'mybuilder', {}, files(), undefined],
    ['a config.json that is not JSON: the default socket', undefined, {}, { dockerConfig: '{', contextHost: () => undefined }, unix('/var/run/docker.sock')]
  ])('%s', (_name, builder, env, contextFiles, expected) => {
    expect(resolveEngineEndpoint(builder, env, contextFiles)).toEqual(expected)
  })
})
