import { describe, expect, it } from '@jest/globals'
import { UserError } from '../../src/shared/errors.js'
import { bypassesProxy, configuredProxies, proxyFor } from '../../src/shared/proxy.js'

const ECR = 'https://api.ecr.eu-west-1.amazonaws.com'

describe('configuredProxies', () => {
  it.each([
    [{}, []],
    [{ https_proxy: 'http://a:3128' }, ['http://a:3128 (https_proxy)']],
    [{ HTTPS_PROXY: 'b:8080', http_proxy: 'http://c:3128' }, ['http://b:8080 (HTTPS_PROXY)', 'http://c:3128 (http_proxy)']],
    // no_proxy does not matter here: every proxy is read (and its password masked) whatever the host.
    [{ https_proxy: 'http://u:p@a:3128', no_proxy: '*' }, ['http://a:3128 (https_proxy)']]
  ])('%j: %j', (env, expected) => {
    expect(configuredProxies(env).map((proxy) => `${proxy.display} (${proxy.variable})`)).toEqual(expected)
  })

  it('a malformed variable fails at once, whatever the host', () => {
    expect(() => configuredProxies({ http_proxy: 'http://[bad' })).toThrow(
      new UserError("http_proxy is not a proxy URL such as http://proxy.example.com:3128: fix it in the runner's environment, or unset it.")
    )
  })
})

describe('proxyFor', () => {
  it.each([
    ['no proxy variable', {}, ECR, undefined],
    ['HTTPS_PROXY for an https endpoint', { HTTPS_PROXY: 'http://proxy:3128' }, ECR, ['http://proxy:3128/', 'HTTPS_PROXY']],
    ['https_proxy before HTTPS_PROXY', { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2' }, ECR, ['http://lower:1/', 'https_proxy']],
    ['an empty https_proxy does not hide HTTPS_PROXY', { https_proxy: ' ', HTTPS_PROXY: 'http://upper:2' }, ECR, ['http://upper:2/', 'HTTPS_PROXY']],
    ['HTTP_PROXY is not used for https', { HTTP_PROXY: 'http://proxy:3128' }, ECR, undefined],
    [
      'HTTP_PROXY for an http endpoint',
      { HTTP_PROXY: 'http://proxy:3128', HTTPS_PROXY: 'http://other:1' },
      'http://127.0.0.1:4566',
      ['http://proxy:3128/', 'HTTP_PROXY']
    ],
    ['a bare host:port means http://', { HTTPS_PROXY: 'proxy.corp:8080' }, ECR, ['http://proxy.corp:8080/', 'HTTPS_PROXY']],
    ['no_proxy before NO_PROXY', { HTTPS_PROXY: 'http://p:1', no_proxy: 'example.org', NO_PROXY: 'amazonaws.com' }, ECR, ['http://p:1/', 'HTTPS_PROXY']],
    ['NO_PROXY bypasses', { HTTPS_PROXY: 'http://p:1', NO_PROXY: '.amazonaws.com' }, ECR, undefined]
  ])('%s', (_label, env, target, expected) => {
    const choice = proxyFor(env, target)
    expect(choice === undefined ? undefined : [choice.url, choice.variable]).toEqual(expected)
  })

  it('keeps the credentials for the agent, hides them in what is logged, and hands both spellings to be masked', () => {
    const choice = proxyFor({ HTTPS_PROXY: 'http://build%40corp:p%3Ass@proxy.corp:3128' }, ECR)
    expect(choice).toEqual({
      url: 'http://build%40corp:p%3Ass@proxy.corp:3128/',
      display: 'http://proxy.corp:3128',
      credentials: ['p%3Ass', 'p:ss'],
      variable: 'HTTPS_PROXY'
    })
  })

  it('a proxy variable that is not a URL is one line naming the variable, without its value', () => {
    const attempt = (): unknown => proxyFor({ HTTPS_PROXY: 'http://user:secret@[bad' }, ECR)
    expect(attempt).toThrow(UserError)
    expect(attempt).toThrow("HTTPS_PROXY is not a proxy URL such as http://proxy.example.com:3128: fix it in the runner's environment, or unset it.")
  })

  it('an endpoint that is not a URL gets no proxy (the SDK reports the endpoint itself)', () => {
    expect(proxyFor({ HTTPS_PROXY: 'http://p:1' }, 'not a url')).toBeUndefined()
  })
})

describe('bypassesProxy', () => {
  it.each([
    ['', false],
    ['*', true],
    ['api.ecr.eu-west-1.amazonaws.com', true],
    ['amazonaws.com', true],
    ['.amazonaws.com', true],
    ['*.amazonaws.com', true],
    [' example.org , AMAZONAWS.COM ', true],
    ['ws.com', false],
    ['ecr.eu-west-1.amazonaws.com.evil', false],
    ['amazonaws.com:443', true],
    ['amazonaws.com:8443', false]
  ])('no_proxy %j for https://api.ecr.eu-west-1.amazonaws.com: %p', (noProxy, expected) => {
    expect(bypassesProxy(new URL(ECR), noProxy)).toBe(expected)
  })

  it.each([
    ['http://127.0.0.1:4566', '127.0.0.1', true],
    ['http://127.0.0.1:4566', '127.0.0.1:4566', true],
    ['http://127.0.0.1:4566', '127.0.0.1:80', false],
    ['http://[::1]:4566', '::1', true],
    ['http://[::1]:4566', '[::1]:4566', true],
    ['http://[::1]:4566', '[::1]:1', false],
    ['http://localhost', 'localhost:80', true]
  ])('%s with no_proxy %j: %p', (target, noProxy, expected) => {
    expect(bypassesProxy(new URL(target), noProxy)).toBe(expected)
  })
})
