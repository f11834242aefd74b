// README "Environment it honours": the ECR API calls go through the proxy the runner's environment
// names (a self-hosted runner behind a proxy exports http(s)_proxy and no_proxy to every step). The
// local endpoint is http://127.0.0.1, so HTTP_PROXY is the variable that applies to it, as HTTPS_PROXY
// does to the real https:// ECR endpoint.
import { afterEach, describe, expect, test } from '@jest/globals'
import { startConnectProxy, type ConnectProxy } from './support/proxy/connect-proxy.js'
import { describeRequests, useScenarioKit, visibleLog } from './scenario-helpers.js'

const kit = useScenarioKit('proxy')
let proxy: ConnectProxy | undefined
afterEach(async () => {
  await proxy?.stop()
  proxy = undefined
})

function endpointHostPort(): string {
  return new URL(kit.endpoint.env()['AWS_ENDPOINT_URL_ECR'] as string).host
}

async function push(env: Record<string, string>): Promise<Awaited<ReturnType<typeof kit.run>>> {
  const repository = kit.repository('via-proxy')
  kit.endpoint.createRepository(repository, { mutability: 'IMMUTABLE' })
  return kit.run({ inputs: { repository, context: 'app' }, workspace: await kit.workspace(), env })
}

describe('ECR API calls through a proxy', () => {
  test('HTTP_PROXY: every ECR call is tunnelled through the proxy; the push succeeds with the registry digest', async () => {
    proxy = await startConnectProxy()
    const { run, requests } = await push({ HTTP_PROXY: proxy.url })

    expect(run.errors).toEqual([])
    expect(run.main.exitCode).toBe(0)
    const repository = run.inputEnv['INPUT_REPOSITORY'] as string
    expect(await kit.endpoint.manifestDigest(repository, run.context.sha)).toBe(run.outputs['digest'])
    expect(run.main.stdout).toContain(`ECR API calls to 127.0.0.1 go through the proxy ${proxy.url} (HTTP_PROXY).`)
    expect(proxy.tunnels.length).toBeGreaterThan(0)
    expect(new Set(proxy.tunnels.map((tunnel) => `${tunnel.target} ${tunnel.status}`))).toEqual(new Set([`${endpointHostPort()} 200`]))
    expect(describeRequests(requests).some((line) => line.includes('PutImage'))).toBe(true)
  })

  test('credentials in the proxy URL reach the proxy and are masked in the log', async () => {
    const password = 'pr0xy-pa55-word'
    proxy = await startConnectProxy({ credentials: `ci-runner:${password}` })
    const withCredentials = proxy.url.replace('http://', `http://ci-runner:${password}@`)
    const { run } = await push({ HTTP_PROXY: withCredentials })

    expect(run.errors).toEqual([])
    expect(run.main.exitCode).toBe(0)
    expect(proxy.tunnels.every((tunnel) => tunnel.credentials === `ci-runner:${password}` && tunnel.status === 200)).toBe(true)
    expect(run.masks).toContain(password)
    expect(run.leakedSecrets).toEqual([])
    expect(visibleLog(run)).not.toContain(password)
    expect(run.main.stdout).toContain(`ECR API calls to 127.0.0.1 go through the proxy ${proxy.url} (HTTP_PROXY).`)
  })

  test('a proxy that refuses the credentials: one line that names the proxy, nothing built', async () => {
    proxy = await startConnectProxy({ credentials: 'ci-runner:right' })
    const { run, requests } = await push({ HTTP_PROXY: proxy.url.replace('http://', 'http://ci-runner:wrong@') })

    expect(run.main.exitCode).toBe(1)
    expect(run.errors).toEqual([expect.stringMatching(/proxy .*407/i)])
    expect(run.errors[0]).not.toContain('wrong')
    expect(describeRequests(requests)).toEqual([])
    expect(proxy.tunnels.map((tunnel) => tunnel.status)).toContain(407)
  })

  test('NO_PROXY naming the endpoint: the calls go direct', async () => {
    proxy = await startConnectProxy()
    const { run } = await push({ HTTP_PROXY: proxy.url, NO_PROXY: 'example.org,127.0.0.1' })

    expect(run.errors).toEqual([])
    expect(run.main.exitCode).toBe(0)
    expect(proxy.tunnels).toEqual([])
    expect(run.main.stdout).not.toContain('go through the proxy')
  })

  test('a proxy that is not listening: the calls do not go around it', async () => {
    proxy = await startConnectProxy()
    const { url } = proxy
    await proxy.stop()
    proxy = undefined
    const { run, requests } = await push({ HTTP_PROXY: url })

    expect(run.main.exitCode).toBe(1)
    expect(run.errors).toEqual([expect.stringContaining('Could not reach ECR')])
    expect(describeRequests(requests)).toEqual([])
  })
})
