import { describe, expect, it } from '@jest/globals'
import type { createEcr } from '../../src/adapters/ecr.js'
import type { createRegistry, Registry } from '../../src/adapters/registry.js'
import { openEcr, registryOpener } from '../../src/publish/clients.js'

function adapters() {
  const masked: string[] = []
  const logged: string[] = []
  const registries: Parameters<typeof createRegistry>[0][] = []
  const ecrOptions: Parameters<typeof createEcr>[0][] = []
  return {
    masked,
    logged,
    registries,
    ecrOptions,
    runner: { setSecret: (secret: string) => void masked.push(secret), info: (message: string) => void logged.push(message) },
    createEcr: ((options) => {
      ecrOptions.push(options)
      return {} as ReturnType<typeof createEcr>
    }) as typeof createEcr,
    createRegistry: ((options) => {
      registries.push(options)
      return Promise.resolve({} as Registry)
    }) as typeof createRegistry
  }
}

const credentials = (endpoint: string) => ({ endpoint, username: 'AWS', password: 'token', registryHost: new URL(endpoint).host, expiresAt: undefined })

describe('registryOpener', () => {
  it('one client per registry endpoint (a promotion talks to two), each made once', async () => {
    const a = adapters()
    const open = registryOpener(a, {})
    await open(credentials('https://111111111111.dkr.ecr.eu-west-1.amazonaws.com'))
    await open(credentials('https://111111111111.dkr.ecr.eu-west-1.amazonaws.com'))
    await open(credentials('https://222222222222.dkr.ecr.eu-west-1.amazonaws.com'))
    expect(a.registries.map((options) => options.endpoint)).toEqual([
      'https://111111111111.dkr.ecr.eu-west-1.amazonaws.com',
      'https://222222222222.dkr.ecr.eu-west-1.amazonaws.com'
    ])
  })

  it('masks the password of the proxy the registry goes through, in the build, merge and promote actions alike', async () => {
    const a = adapters()
    await registryOpener(a, { https_proxy: 'http://user:s%3Dcret@proxy.internal:3128' })(credentials('https://111111111111.dkr.ecr.eu-west-1.amazonaws.com'))
    expect(a.masked).toEqual(expect.arrayContaining(['s%3Dcret', 's=cret']))
    const proxyFor = a.registries[0]?.proxyFor
    expect(proxyFor?.(new URL('https://111111111111.dkr.ecr.eu-west-1.amazonaws.com/v2/'))?.display).toBe('http://proxy.internal:3128')
  })

  it('decides the proxy per host: an S3 redirect host in no_proxy bypasses it while the registry does not', async () => {
    const a = adapters()
    await registryOpener(a, { https_proxy: 'http://proxy.internal:3128', no_proxy: '.s3.eu-west-1.amazonaws.com' })(
      credentials('https://111111111111.dkr.ecr.eu-west-1.amazonaws.com')
    )
    const proxyFor = a.registries[0]?.proxyFor
    expect(proxyFor?.(new URL('https://111111111111.dkr.ecr.eu-west-1.amazonaws.com/v2/team/api/blobs/sha256:00'))).toBeDefined()
    expect(proxyFor?.(new URL('https://prod-eu-west-1-starport-layer-bucket.s3.eu-west-1.amazonaws.com/x?X-Amz-Signature=y'))).toBeUndefined()
  })

  it('without any proxy variable: no proxy chooser (the proxy library is not even loaded), the network limits of the environment', async () => {
    const a = adapters()
    await registryOpener(a, { IEB_IDLE_TIMEOUT_MS: '2000' })(credentials('https://111111111111.dkr.ecr.eu-west-1.amazonaws.com'))
    expect(a.registries[0]?.proxyFor).toBeUndefined()
    expect(a.registries[0]?.limits).toEqual({ idleMs: 2000, connectMs: 2000 })
  })
})

describe('openEcr', () => {
  it('hands the runner the masking and the log, with the target region and registry', () => {
    const a = adapters()
    openEcr(a, { AWS_MAX_ATTEMPTS: '3' }, { region: 'eu-west-1', registryId: '123456789012' })
    const options = a.ecrOptions[0]
    expect(options).toMatchObject({ region: 'eu-west-1', registryId: '123456789012', env: { AWS_MAX_ATTEMPTS: '3' } })
    options?.mask('secret')
    options?.log?.('via proxy')
    expect([a.masked, a.logged]).toEqual([['secret'], ['via proxy']])
  })
})
