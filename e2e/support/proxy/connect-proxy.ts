// A forward proxy for tests, on 127.0.0.1: it answers HTTP CONNECT (what https-proxy-agent, curl and
// docker send for tunnelled traffic), optionally asks for Basic credentials, and records every tunnel.
// It connects only to loopback targets, so a test can never send traffic off the machine through it.
import http from 'node:http'
import net, { type AddressInfo } from 'node:net'

export interface Tunnel {
  /** host:port the client asked for. */
  readonly target: string
  /** The decoded user:password of Proxy-Authorization, when one was sent. */
  readonly credentials: string | undefined
  /** The status the proxy answered the CONNECT with. */
  readonly status: number
}

export interface ConnectProxy {
  readonly url: string
  readonly port: number
  readonly tunnels: readonly Tunnel[]
  stop(): Promise<void>
}

const LOOPBACK = /^(?:127(?:\.\d{1,3}){3}|localhost|\[?::1\]?)$/

export async function startConnectProxy(options: { credentials?: string } = {}): Promise<ConnectProxy> {
  const tunnels: Tunnel[] = []
  const sockets = new Set<net.Socket>()
  const server = http.createServer((_request, response) => {
    // Only tunnels: a plain proxied request means a client did not use CONNECT.
    response.writeHead(405, { 'content-type': 'text/plain' }).end('this test proxy only answers CONNECT\n')
  })
  server.on('connect', (request: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    sockets.add(client)
    client.on('close', () => sockets.delete(client))
    client.on('error', () => client.destroy())
    const target = request.url ?? ''
    const header = request.headers['proxy-authorization']
    const credentials = header?.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8') : undefined
    const answer = (status: number, text: string, extra = ''): void => {
      tunnels.push({ target, credentials, status })
      client.end(`HTTP/1.1 ${status} ${text}\r\n${extra}Content-Length: 0\r\n\r\n`)
    }
    if (options.credentials !== undefined && credentials !== options.credentials) {
      answer(407, 'Proxy Authentication Required', 'Proxy-Authenticate: Basic realm="test"\r\n')
      return
    }
    const match = /^(.+):(\d+)$/.exec(target)
    const host = match?.[1]?.replace(/^\[|\]$/g, '')
    if (!match || !host || !LOOPBACK.test(host)) {
      answer(403, 'Forbidden')
      return
    }
    const upstream = net.connect(Number(match[2]), host, () => {
      tunnels.push({ target, credentials, status: 200 })
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      if (head.length) upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    sockets.add(upstream)
    upstream.on('close', () => sockets.delete(upstream))
    upstream.on('error', () => client.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    tunnels,
    stop: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
