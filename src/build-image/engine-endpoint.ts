/**
 * Which Docker engine the `docker` driver builds on, resolved the way the docker CLI resolves it, so that
 * the action can reach that engine's own BuildKit itself (docs/performance.md). Pure: the caller reads
 * the files.
 */

/** The engine's API endpoint: a unix socket the action can open, or anything else (tcp, TLS, ssh, npipe). */
export type EngineEndpoint = { readonly kind: 'unix'; readonly socketPath: string } | { readonly kind: 'other'; readonly endpoint: string }

export interface DockerContextFiles {
  /** The user's docker config.json (for currentContext); undefined when absent. */
  readonly dockerConfig: string | undefined
  /** A named context's docker endpoint (contexts/meta/<sha256>/meta.json, Endpoints.docker.Host). */
  readonly contextHost: (name: string) => string | undefined
}

const DEFAULT_ENDPOINT = 'unix:///var/run/docker.sock'

/**
 * The endpoint in the docker CLI's order: a docker-driver builder named after a context uses that context;
 * then DOCKER_HOST, DOCKER_CONTEXT, config.json's currentContext, the default socket. Undefined when a
 * named context cannot be read (the caller then keeps the path that needs no endpoint).
 */
export function resolveEngineEndpoint(builder: string | undefined, env: NodeJS.ProcessEnv, files: DockerContextFiles): EngineEndpoint | undefined {
  const name = builder || env.BUILDX_BUILDER
  if (name && name !== 'default') return fromContext(name, files)
  if (env.DOCKER_HOST) return classify(env.DOCKER_HOST)
  const context = env.DOCKER_CONTEXT || currentContext(files.dockerConfig)
  if (context && context !== 'default') return fromContext(context, files)
  return classify(DEFAULT_ENDPOINT)
}

function fromContext(name: string, files: DockerContextFiles): EngineEndpoint | undefined {
  const host = files.contextHost(name)
  return host ? classify(host) : undefined
}

function classify(endpoint: string): EngineEndpoint {
  const socketPath = endpoint.startsWith('unix://') ? endpoint.slice('unix://'.length) : ''
  return socketPath.startsWith('/') ? { kind: 'unix', socketPath } : { kind: 'other', endpoint }
}

function currentContext(dockerConfig: string | undefined): string | undefined {
  if (dockerConfig === undefined) return undefined
  try {
    const parsed = JSON.parse(dockerConfig) as { currentContext?: unknown } | null
    return typeof parsed?.currentContext === 'string' ? parsed.currentContext : undefined
  } catch {
    return undefined
  }
}
