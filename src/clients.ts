import { createEcr, type Ecr, type RegistryCredentials } from './adapters/ecr.js'
import { createRegistry, type Registry } from './adapters/registry.js'
import type { Runner } from './adapters/runner.js'
import { proxyFor } from './proxy.js'

/** What the three actions (build, merge, promote) make their ECR and registry clients with. */
export interface ClientAdapters {
  readonly runner: Pick<Runner, 'setSecret' | 'info'>
  readonly createEcr: typeof createEcr
  readonly createRegistry: typeof createRegistry
}

/** An ECR client: each credential it meets masked before anything can print it, its proxy notes in the log. */
export function openEcr(adapters: ClientAdapters, env: NodeJS.ProcessEnv, target: { readonly region: string; readonly registryId: string | undefined }): Ecr {
  return adapters.createEcr({ ...target, mask: (secret) => adapters.runner.setSecret(secret), env, log: (message) => adapters.runner.info(message) })
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
      // The registry may sit behind another proxy variable than the API (http_proxy vs https_proxy).
      const proxy = proxyFor(env, credentials.endpoint)
      for (const secret of proxy?.credentials ?? []) adapters.runner.setSecret(secret)
      registry = adapters.createRegistry({ endpoint: credentials.endpoint, username: credentials.username, password: credentials.password, proxy })
      opened.set(credentials.endpoint, registry)
    }
    return registry
  }
}
