import { UserError } from './errors.js'

/**
 * Which proxy, if any, the ECR API calls go through. The AWS SDK does not read the proxy variables
 * itself, so a self-hosted runner behind a proxy (the runner exports https_proxy and no_proxy to every
 * step) would otherwise fail to reach ECR at all. Rules as curl and @actions/http-client read them:
 * lower case before upper case, the scheme of the target picks the variable, no_proxy bypasses.
 */

export interface ProxyChoice {
  /** The proxy URL as configured (it may carry credentials). */
  readonly url: string
  /** The same URL without user name and password, for the log. */
  readonly display: string
  /** user:password of the proxy, when the URL has them: to be masked. */
  readonly credentials: readonly string[]
  /** The variable it came from. */
  readonly variable: string
}

/** The proxy for one URL: decided per host, so an S3 or ECR host in no_proxy bypasses it while the others do not. */
export function proxyFor(env: NodeJS.ProcessEnv, target: string): ProxyChoice | undefined {
  let url: URL
  try {
    url = new URL(target)
  } catch {
    return undefined
  }
  if (bypassesProxy(url, env.no_proxy ?? env.NO_PROXY ?? '')) return undefined
  return proxyVariable(env, url.protocol === 'http:' ? ['http_proxy', 'HTTP_PROXY'] : ['https_proxy', 'HTTPS_PROXY'])
}

/**
 * Every proxy the variables name (https and http), whatever the host: read once at start, so a
 * malformed variable fails before any call and every proxy password is masked before any log line.
 */
export function configuredProxies(env: NodeJS.ProcessEnv): ProxyChoice[] {
  return [proxyVariable(env, ['https_proxy', 'HTTPS_PROXY']), proxyVariable(env, ['http_proxy', 'HTTP_PROXY'])].filter(
    (choice): choice is ProxyChoice => choice !== undefined
  )
}

function proxyVariable(env: NodeJS.ProcessEnv, names: readonly string[]): ProxyChoice | undefined {
  const variable = names.find((name) => env[name]?.trim())
  if (!variable) return undefined
  const raw = (env[variable] as string).trim()
  let proxy: URL
  try {
    // A bare host:port is what many runners are configured with; it means an http:// proxy.
    proxy = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`)
  } catch {
    throw new UserError(`${variable} is not a proxy URL such as http://proxy.example.com:3128: fix it in the runner's environment, or unset it.`)
  }
  const credentials = [proxy.password, decodeURIComponent(proxy.password)].filter((secret) => secret !== '')
  const display = new URL(proxy.href)
  display.username = ''
  display.password = ''
  return { url: proxy.href, display: display.href.replace(/\/$/, ''), credentials: [...new Set(credentials)], variable }
}

/** no_proxy entries: `*`, a host or address, a domain (with or without a leading dot or `*.`) matching its subdomains, any of them with :port. */
export function bypassesProxy(target: URL, noProxy: string): boolean {
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase()
  const port = target.port || (target.protocol === 'http:' ? '80' : '443')
  return noProxy
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== '')
    .some((entry) => {
      if (entry === '*') return true
      const { name, port: entryPort } = parseNoProxyEntry(entry)
      if (entryPort !== undefined && entryPort !== port) return false
      const domain = name.replace(/^\*?\./, '')
      return host === domain || host.endsWith(`.${domain}`)
    })
}

function parseNoProxyEntry(entry: string): { readonly name: string; readonly port: string | undefined } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry)
  if (bracketed) return { name: bracketed[1] as string, port: bracketed[2] }
  const withPort = /^([^:]+):(\d+)$/.exec(entry)
  if (withPort) return { name: withPort[1] as string, port: withPort[2] }
  return { name: entry, port: undefined }
}
