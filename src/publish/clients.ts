import { createEcr, type Ecr, type RegistryCredentials } from '../adapters/ecr.js'
import { createRegistry, type Registry } from '../adapters/registry.js'
import type { Runner } from '../adapters/runner.js'
import { networkLimits } from '../shared/network-limits.js'
import { configuredProxies, proxyFor } from '../shared/proxy.js'

/** What the three actions (build, merge, promote) make their ECR and registry clients with. */
export interface ClientAdapters {
  readonly runner: Pick<Runner, 'setSecret' | 'info'>
  readonly createEcr: typeof createEcr
  readonly createRegistry: typeof createRegistry
  /** Waits between retries and for ECR's read-after-write lag; a real timer by default (tests inject one). */
  readonly sleep?: (ms: number) => Promise<void>
}

/** An ECR client: each credential it meets masked before anything can print it, its proxy notes in the log. */
export function openEcr(adapters: ClientAdapters, env: NodeJS.ProcessEnv, target: { readonly region: string; readonly registryId: string | undefined }): Ecr {
  return adapters.createEcr({
    ...target,
    mask: (secret) => adapters.runner.setSecret(secret),
    env,
    log: (message) => adapters.runner.info(message),
    ...(adapters.sleep ? { sleep: adapters.sleep } : {})
  })
}

/**
 * One registry client per registry endpoint, made on first use with the credentials GetAuthorizationToken
 * returned (a promotion talks to two registries; a build or a merge to one).
 */
export function registryOpener(adapters: ClientAdapters, env: NodeJS.ProcessEnv): (credentials: RegistryCredentials) => Promise<Registry> {
  const opened = new Map<string, Promise<Registry>>()
  return (credentials) => {
    let registry = opened.get(credentials.endpoint)
    if (!registry) {
      // The proxy is chosen per request host: the registry and the S3 hosts its downloads redirect to
      // may differ in no_proxy, and the registry may sit behind another variable than the API (http_proxy).
      const proxies = configuredProxies(env)
      for (const secret of proxies.flatMap((proxy) => proxy.credentials)) adapters.runner.setSecret(secret)
      registry = adapters.createRegistry({
        endpoint: credentials.endpoint,
        username: credentials.username,
        password: credentials.password,
        ...(proxies.length ? { proxyFor: (url: URL) => proxyFor(env, url.href) } : {}),
        limits: networkLimits(env),
        log: (message) => adapters.runner.info(message),
        ...(adapters.sleep ? { sleep: adapters.sleep } : {})
      })
      opened.set(credentials.endpoint, registry)
    }
    return registry
  }
}
