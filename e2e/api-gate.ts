// An ECR API gate for one action run: a loopback forwarder to the endpoint's ECR JSON API that can
// hold a chosen call (as network latency would) or answer it with an AWS error, so a test can force
// an interleaving of two runs or a fault on the nth call of an operation. Plain module (no jest
// globals), usable from scripts too. The registry traffic never passes here.
import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { EcrEndpoint } from './support/ecr/ecr-endpoint.js'

export interface HeldCall {
  /** Settles when the held call has reached the gate (and is waiting). */
  readonly arrived: Promise<void>
  /** Lets the held call through to the endpoint. */
  release(): void
}

export interface ApiGate {
  /** http://127.0.0.1:<port>: give it to one run as AWS_ENDPOINT_URL_ECR. */
  readonly url: string
  /** ECR operations this gate forwarded (or is holding), in arrival order. */
  readonly calls: string[]
  /** Holds the nth call (1-based, counted from now on) of the operation until released. */
  hold(operation: string, nth?: number): HeldCall
  /** Answers the nth call (1-based, counted from now on) of the operation with this AWS error itself. */
  fail(operation: string, nth: number, errorCode: string, message?: string): void
  /** Releases everything still held and closes the gate. */
  stop(): Promise<void>
}

const TARGET_PREFIX = 'AmazonEC2ContainerRegistry_V20150921.'

/**
 * A loopback forwarder for the ECR JSON API of one run, so a test can hold a chosen call (as a slow
 * network would) and force an interleaving of two runs. The registry traffic does not pass here:
 * GetAuthorizationToken still names the endpoint itself as proxyEndpoint.
 */
export async function startApiGate(endpoint: EcrEndpoint): Promise<ApiGate> {
  const target = new URL(endpoint.apiUrl)
  const calls: string[] = []
  const holds: Array<{ operation: string; nth: number; seen: number; gate: Promise<void>; open: () => void; arrive: () => void }> = []
  const failures: Array<{ operation: string; nth: number; seen: number; errorCode: string; message: string }> = []
  const sockets = new Set<Socket>()

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const header = String(req.headers['x-amz-target'] ?? '')
      const operation = header.startsWith(TARGET_PREFIX) ? header.slice(TARGET_PREFIX.length) : header
      calls.push(operation)
      let injected: { errorCode: string; message: string } | undefined
      for (const failure of failures) {
        if (failure.operation !== operation) continue
        failure.seen += 1
        if (failure.seen === failure.nth) injected = failure
      }
      if (injected) {
        const body = JSON.stringify({ __type: injected.errorCode, message: injected.message })
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': injected.errorCode, 'content-length': Buffer.byteLength(body) })
        res.end(body)
        return
      }
      const waits: Promise<void>[] = []
      for (const hold of holds) {
        if (hold.operation !== operation) continue
        hold.seen += 1
        if (hold.seen === hold.nth) {
          hold.arrive()
          waits.push(hold.gate)
        }
      }
      void Promise.all(waits).then(() => {
        const upstream = http.request(
          { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers)
            answer.pipe(res)
          }
        )
        upstream.on('error', (error) => {
          if (!res.headersSent) res.writeHead(502)
          res.end(String(error))
        })
        upstream.end(Buffer.concat(chunks))
      })
    })
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const port = (server.address() as AddressInfo).port

  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    hold(operation, nth = 1) {
      let open!: () => void
      let arrive!: () => void
      const gate = new Promise<void>((resolve) => (open = resolve))
      const arrived = new Promise<void>((resolve) => (arrive = resolve))
      holds.push({ operation, nth, seen: 0, gate, open, arrive })
      return { arrived, release: () => open() }
    },
    fail(operation, nth, errorCode, message = `injected ${errorCode} for test`) {
      failures.push({ operation, nth, seen: 0, errorCode, message })
    },
    async stop() {
      for (const hold of holds) hold.open()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        for (const socket of sockets) socket.destroy()
      })
    }
  }
}

/** Resolves with the first to settle of `promise` and a timeout error naming what was awaited. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
