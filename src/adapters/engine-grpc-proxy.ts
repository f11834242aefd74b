import { request } from 'node:http'
import { createServer, type Server, type Socket } from 'node:net'
import { errorMessage } from '../shared/errors.js'

/**
 * The engine's embedded BuildKit, reached the way buildx's own `docker` driver reaches it: the engine API's
 * `POST /grpc`, upgraded to h2c. A unix socket that buildx's `remote` driver can dial: for every connection
 * it opens the engine's socket, asks for the upgrade and, once the engine answers `101 Switching Protocols`,
 * pipes both ways. The only module that opens the engine's socket or listens on one (it also reads the
 * engine's image store there: see readEngineDriverStatus).
 */
export interface EngineGrpcProxy {
  /** Where the proxy listens (a unix socket in a folder only this user can enter). */
  readonly socketPath: string
  /** Stops listening and ends every piped connection. */
  close(): Promise<void>
}

/** How long the engine has to answer the upgrade before the connection counts as refused. */
const UPGRADE_TIMEOUT_MS = 10_000

/**
 * Opens one upgraded connection to the engine's BuildKit. Resolves with the socket (and any bytes the
 * engine sent after the 101), rejects with a reason a person can read when the engine answers anything else.
 */
export function upgradeToGrpc(engineSocket: string, timeoutMs = UPGRADE_TIMEOUT_MS): Promise<{ socket: Socket; head: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({
      socketPath: engineSocket,
      method: 'POST',
      path: '/grpc',
      // The engine matches the h2c upgrade on these two headers, as the docker CLI's DialHijack sends them.
      headers: { Connection: 'Upgrade', Upgrade: 'h2c', Host: 'docker' }
    })
    const timer = setTimeout(() => req.destroy(new Error(`no answer to POST /grpc within ${timeoutMs} ms`)), timeoutMs)
    req.on('upgrade', (response, socket, head) => {
      clearTimeout(timer)
      if (response.statusCode !== 101) {
        socket.destroy()
        reject(new Error(`the engine answered POST /grpc with HTTP ${response.statusCode}`))
        return
      }
      resolve({ socket, head })
    })
    req.on('response', (response) => {
      clearTimeout(timer)
      response.resume()
      reject(new Error(`the engine answered POST /grpc with HTTP ${response.statusCode ?? '?'} instead of 101 Switching Protocols`))
    })
    req.on('error', (error) => {
      clearTimeout(timer)
      reject(new Error(`POST /grpc on ${engineSocket} failed: ${errorMessage(error)}`))
    })
    req.end()
  })
}

/** Listens on `socketPath` and pipes every connection to the engine's BuildKit. */
export async function startEngineGrpcProxy(engineSocket: string, socketPath: string): Promise<EngineGrpcProxy> {
  const open = new Set<Socket>()
  const track = (socket: Socket): void => {
    open.add(socket)
    socket.on('close', () => open.delete(socket))
  }
  const server: Server = createServer((client) => {
    track(client)
    client.pause()
    upgradeToGrpc(engineSocket).then(
      ({ socket: engine, head }) => {
        // The client left (or close() ran) while the engine was answering: nothing to pipe to.
        if (client.destroyed) {
          engine.destroy()
          return
        }
        track(engine)
        if (head.length) client.write(head)
        // Either side ending ends the other: buildx sees a closed stream, never a half-open one.
        engine.on('error', () => client.destroy())
        client.on('error', () => engine.destroy())
        engine.on('close', () => client.destroy())
        client.on('close', () => engine.destroy())
        client.pipe(engine)
        engine.pipe(client)
        client.resume()
      },
      () => client.destroy()
    )
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(socketPath, () => {
      server.off('error', reject)
      resolve()
    })
  })
  return {
    socketPath,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy()
        server.close(() => resolve())
      })
  }
}

/** Whether the engine grants the upgrade at all (some socket proxies and engines refuse `/grpc`); throws why not. */
export async function probeEngineGrpc(engineSocket: string): Promise<void> {
  const { socket } = await upgradeToGrpc(engineSocket)
  socket.destroy()
}

/** How long `GET /info` may take before the caller asks `docker info` instead. */
const INFO_TIMEOUT_MS = 5_000

/**
 * The engine's `DriverStatus` as JSON, what `docker info --format '{{json .DriverStatus}}'` prints, read from
 * the engine's socket with one `GET /info`: no docker CLI to start (about 70–100 ms on a 2-core runner, on the
 * critical path of every docker-driver run). Rejects on anything but a 200 with a JSON body; the caller then
 * asks the CLI, whose errors are the ones people know.
 */
export function readEngineDriverStatus(engineSocket: string, timeoutMs = INFO_TIMEOUT_MS): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: engineSocket, method: 'GET', path: '/info', headers: { Host: 'docker' } }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('error', reject)
      response.on('end', () => {
        clearTimeout(timer)
        if (response.statusCode !== 200) {
          reject(new Error(`the engine answered GET /info with HTTP ${response.statusCode ?? '?'}`))
          return
        }
        try {
          const info = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { DriverStatus?: unknown } | null
          resolve(JSON.stringify(info?.DriverStatus ?? null))
        } catch (error) {
          reject(new Error(`the engine's GET /info answer is not JSON: ${errorMessage(error)}`))
        }
      })
    })
    const timer = setTimeout(() => req.destroy(new Error(`no answer to GET /info within ${timeoutMs} ms`)), timeoutMs)
    req.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    req.end()
  })
}
