import { afterEach, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import { createRegistry, MAX_BLOB_READ, sendsCredential, type Registry } from '../../src/adapters/registry.js'
import { UserError } from '../../src/shared/errors.js'

/**
 * A loopback registry that speaks the distribution API just enough: blobs by digest, upload
 * sessions (POST, PATCH, PUT ?digest=), manifests PUT by reference, and scripted failures.
 */
interface Seen {
  readonly method: string
  readonly url: string
  readonly authorization: string | undefined
}

interface Server {
  readonly url: string
  readonly seen: Seen[]
  readonly blobs: Map<string, Buffer>
  readonly manifests: Map<string, { type: string; body: Buffer }>
  /** Answers the next matching requests with this status instead. */
  fail(status: number, count: number, match?: (method: string, url: string) => boolean): void
  /** Extra route, checked first. */
  route: ((req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => boolean) | undefined
  close(): Promise<void>
}

const servers: Server[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

const digestOf = (bytes: Buffer | string): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`
const AUTH = `Basic ${Buffer.from('AWS:secret').toString('base64')}`

async function startServer(): Promise<Server> {
  const seen: Seen[] = []
  const blobs = new Map<string, Buffer>()
  const manifests = new Map<string, { type: string; body: Buffer }>()
  const sessions = new Map<string, Buffer[]>()
  let failures: { status: number; count: number; match: (method: string, url: string) => boolean }[] = []
  let counter = 0
  const server: Server = {
    url: '',
    seen,
    blobs,
    manifests,
    route: undefined,
    fail: (status, count, match = () => true) => failures.push({ status, count, match }),
    close: () => new Promise((resolve) => httpServer.close(() => resolve()))
  }
  const httpServer = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const method = req.method ?? ''
      const url = req.url ?? ''
      seen.push({ method, url, authorization: req.headers.authorization })
      const body = Buffer.concat(chunks)
      const failure = failures.find((entry) => entry.count > 0 && entry.match(method, url))
      if (failure) {
        failure.count--
        failures = failures.filter((entry) => entry.count > 0)
        res.writeHead(failure.status, { 'Content-Type': 'application/json' }).end(JSON.stringify({ errors: [{ code: 'UNAVAILABLE', message: 'try later' }] }))
        return
      }
      if (server.route?.(req, res, body)) return
      if (req.headers.authorization !== AUTH) {
        res
          .writeHead(401, { 'Content-Type': 'application/json' })
          .end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }))
        return
      }
      const path = new URL(url, 'http://x')
      let match: RegExpExecArray | null
      if ((match = /^\/v2\/(.+)\/blobs\/(sha256:[0-9a-f]{64})$/.exec(path.pathname))) {
        const blob = blobs.get(`${match[1]}@${match[2]}`)
        if (!blob) res.writeHead(404).end()
        else if (method === 'HEAD') res.writeHead(200, { 'Content-Length': blob.length }).end()
        else res.writeHead(200).end(blob)
      } else if ((match = /^\/v2\/(.+)\/blobs\/uploads\/$/.exec(path.pathname)) && method === 'POST') {
        const mount = path.searchParams.get('mount')
        const from = path.searchParams.get('from')
        if (mount && from && blobs.has(`${from}@${mount}`)) {
          blobs.set(`${match[1]}@${mount}`, blobs.get(`${from}@${mount}`) as Buffer)
          res.writeHead(201).end()
          return
        }
        const id = `s${++counter}`
        sessions.set(id, [])
        res.writeHead(202, { Location: `/v2/${match[1]}/blobs/uploads/${id}?_state=x` }).end()
      } else if ((match = /^\/v2\/(.+)\/blobs\/uploads\/(s\d+)$/.exec(path.pathname))) {
        const session = sessions.get(match[2] as string)
        if (!session) {
          res.writeHead(404).end()
        } else if (method === 'PATCH') {
          session.push(body)
          res.writeHead(202, { Location: `/v2/${match[1]}/blobs/uploads/${match[2]}?_state=y` }).end()
        } else if (method === 'PUT') {
          const bytes = Buffer.concat([...session, body])
          const digest = path.searchParams.get('digest') ?? ''
          if (digestOf(bytes) !== digest) {
            res
              .writeHead(400, { 'Content-Type': 'application/json' })
              .end(JSON.stringify({ errors: [{ code: 'DIGEST_INVALID', message: 'provided digest did not match uploaded content' }] }))
            return
          }
          blobs.set(`${match[1]}@${digest}`, bytes)
          sessions.delete(match[2] as string)
          res.writeHead(201, { 'Docker-Content-Digest': digest }).end()
        }
      } else if ((match = /^\/v2\/(.+)\/manifests\/(.+)$/.exec(path.pathname)) && method === 'PUT') {
        manifests.set(`${match[1]}@${match[2]}`, { type: req.headers['content-type'] ?? '', body })
        res.writeHead(201, { 'Docker-Content-Digest': digestOf(body) }).end()
      } else {
        res.writeHead(404).end()
      }
    })
  })
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve))
  const started = { ...server, url: `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}` }
  // The route and failures are set on the object the tests hold.
  Object.defineProperty(started, 'route', {
    get: () => server.route,
    set: (value: Server['route']) => {
      server.route = value
    }
  })
  servers.push(started)
  return started
}

async function registryFor(server: Server, options: { attempts?: number } = {}): Promise<Registry> {
  return createRegistry({ endpoint: server.url, username: 'AWS', password: 'secret', sleep: async () => undefined, ...options })
}

const BLOB = Buffer.from('layer bytes '.repeat(1000))
const BLOB_DIGEST = digestOf(BLOB)
const toSend = { digest: BLOB_DIGEST, size: BLOB.length, open: () => Readable.from([BLOB]) }

describe('createRegistry', () => {
  it('uploads a blob as POST, streamed PATCH, PUT ?digest=, with Basic auth on every request', async () => {
    const server = await startServer()
    const registry = await registryFor(server)
    expect(await registry.hasBlob('team/api', BLOB_DIGEST)).toBe(false)
    await registry.uploadBlob('team/api', toSend)
    expect(server.blobs.get(`team/api@${BLOB_DIGEST}`)).toEqual(BLOB)
    expect(await registry.hasBlob('team/api', BLOB_DIGEST)).toBe(true)
    expect(server.seen.map((entry) => entry.method)).toEqual(['HEAD', 'POST', 'PATCH', 'PUT', 'HEAD'])
    expect(server.seen.every((entry) => entry.authorization === AUTH)).toBe(true)
    expect(server.seen[3]?.url).toContain(`digest=${encodeURIComponent(BLOB_DIGEST)}`)
  })

  it('retries a 503 from a fresh upload session and sends the blob whole again', async () => {
    const server = await startServer()
    server.fail(503, 2, (method) => method === 'PATCH')
    const registry = await registryFor(server)
    await registry.uploadBlob('team/api', toSend)
    expect(server.blobs.get(`team/api@${BLOB_DIGEST}`)).toEqual(BLOB)
    expect(server.seen.filter((entry) => entry.method === 'POST')).toHaveLength(3)
  })

  it('gives up after the attempts with one line naming the blob, the count and the last status', async () => {
    const server = await startServer()
    server.fail(503, 100, (method) => method === 'PUT')
    const registry = await registryFor(server, { attempts: 3 })
    const error = await registry.uploadBlob('team/api', toSend).catch((caught: unknown) => caught as Error)
    expect(error).toBeInstanceOf(UserError)
    expect((error as Error).message).toBe(
      `The registry failed the upload of blob ${BLOB_DIGEST} (${BLOB.length} bytes) to team/api 3 times (last: HTTP 503: UNAVAILABLE try later); nothing was tagged: re-run the job.`
    )
  })

  it('does not retry an answer that cannot change: a digest the registry rejects', async () => {
    const server = await startServer()
    const registry = await registryFor(server)
    const wrong = { ...toSend, digest: digestOf('something else') }
    await expect(registry.uploadBlob('team/api', wrong)).rejects.toThrow(/HTTP 400: DIGEST_INVALID provided digest did not match uploaded content/)
    expect(server.seen.filter((entry) => entry.method === 'POST')).toHaveLength(1)
  })

  it('says the login was refused on 401, and names the IAM actions on 403', async () => {
    const server = await startServer()
    const registry = await createRegistry({ endpoint: server.url, username: 'AWS', password: 'wrong', sleep: async () => undefined })
    await expect(registry.hasBlob('team/api', BLOB_DIGEST)).rejects.toThrow(
      /^The registry refused the ECR login for the check of blob sha256:[0-9a-f]{64} in team\/api \(HTTP 401\): the token from GetAuthorizationToken was not accepted or has expired/
    )
    server.fail(403, 1)
    await expect((await registryFor(server)).uploadBlob('team/api', toSend)).rejects.toThrow(
      /^The registry denied the upload of blob .* \(HTTP 403: UNAVAILABLE try later\): the role needs ecr:InitiateLayerUpload on team\/api \(README: IAM policy\)\.$/
    )
  })

  // Each refused request names the one action its kind needs (registry-permissions.ts), not a list of upload actions.
  const manifestBytes = Buffer.from('{"schemaVersion":2}')
  it.each<[string, (method: string, url: string) => boolean, (registry: Registry) => Promise<unknown>, string]>([
    ['blob HEAD', (m) => m === 'HEAD', (r) => r.hasBlob('team/api', BLOB_DIGEST), 'ecr:BatchCheckLayerAvailability on team/api'],
    ['blob GET', (m) => m === 'GET', (r) => r.readBlob('team/api', BLOB_DIGEST), 'ecr:GetDownloadUrlForLayer on team/api'],
    ['blob GET as a stream', (m) => m === 'GET', (r) => r.openBlob('team/api', BLOB_DIGEST), 'ecr:GetDownloadUrlForLayer on team/api'],
    ['upload POST', (m) => m === 'POST', (r) => r.uploadBlob('team/api', toSend), 'ecr:InitiateLayerUpload on team/api'],
    ['upload PATCH', (m) => m === 'PATCH', (r) => r.uploadBlob('team/api', toSend), 'ecr:UploadLayerPart on team/api'],
    ['upload PUT', (m, u) => m === 'PUT' && u.includes('digest='), (r) => r.uploadBlob('team/api', toSend), 'ecr:CompleteLayerUpload on team/api'],
    [
      'mount POST',
      (m) => m === 'POST',
      (r) => r.mountBlob('team/dst', BLOB_DIGEST, 'team/src'),
      'ecr:InitiateLayerUpload on team/dst and ecr:GetDownloadUrlForLayer on team/src'
    ],
    [
      'manifest PUT',
      (m) => m === 'PUT',
      (r) => r.putManifest('team/api', { digest: digestOf(manifestBytes), mediaType: 'application/vnd.oci.image.manifest.v1+json', bytes: manifestBytes }),
      'ecr:PutImage on team/api'
    ]
  ])('a 403 on a %s names the action that request kind needs', async (_kind, match, call, needed) => {
    const server = await startServer()
    server.blobs.set(`team/api@${BLOB_DIGEST}`, BLOB)
    server.fail(403, 1, match)
    const message = await call(await registryFor(server)).then(
      () => 'no error',
      (error: unknown) => (error as Error).message
    )
    expect(message).toMatch(/^The registry denied .* \(HTTP 403.*\): the role needs (.*) \(README: IAM policy\)\.$/)
    expect(/the role needs (.*) \(README/.exec(message)?.[1]).toBe(needed)
  })

  it('PUTs a manifest by digest with its media type, and checks the digest the registry stored', async () => {
    const server = await startServer()
    const registry = await registryFor(server)
    const bytes = Buffer.from('{"schemaVersion":2}')
    await registry.putManifest('team/api', { digest: digestOf(bytes), mediaType: 'application/vnd.oci.image.manifest.v1+json', bytes })
    expect(server.manifests.get(`team/api@${digestOf(bytes)}`)).toEqual({ type: 'application/vnd.oci.image.manifest.v1+json', body: bytes })
    await expect(registry.putManifest('team/api', { digest: digestOf('other'), mediaType: 'x', bytes })).rejects.toThrow(
      `The registry stored the manifest ${digestOf('other')} for team/api as ${digestOf(bytes)}; nothing was tagged.`
    )
  })

  it('mounts a blob from another repository when the registry does; false when it opens an upload instead', async () => {
    const server = await startServer()
    server.blobs.set(`team/src@${BLOB_DIGEST}`, BLOB)
    const registry = await registryFor(server)
    expect(await registry.mountBlob('team/dst', BLOB_DIGEST, 'team/src')).toBe(true)
    expect(await registry.mountBlob('team/dst', digestOf('absent'), 'team/src')).toBe(false)
  })

  it('follows a blob download redirect (ECR answers with S3) without sending the registry credentials there', async () => {
    const server = await startServer()
    const storage = await startServer()
    storage.route = (req, res) => {
      res.writeHead(200).end(BLOB)
      return true
    }
    server.route = (req, res) => {
      if (req.method !== 'GET' || !req.url?.includes('/blobs/')) return false
      res.writeHead(307, { Location: `${storage.url}/bucket/object?X-Amz-Signature=abc` }).end()
      return true
    }
    const registry = await registryFor(server)
    expect(await registry.readBlob('team/api', BLOB_DIGEST)).toEqual(BLOB)
    const stream = await registry.openBlob('team/api', BLOB_DIGEST)
    const chunks: Buffer[] = []
    for await (const chunk of stream) chunks.push(chunk as Buffer)
    expect(Buffer.concat(chunks)).toEqual(BLOB)
    expect(storage.seen.map((entry) => entry.authorization)).toEqual([undefined, undefined])
  })
})

describe('sendsCredential: the registry credential is bound to its origin', () => {
  it.each([
    ['https://1.dkr.ecr.eu-west-1.amazonaws.com', 'https://1.dkr.ecr.eu-west-1.amazonaws.com/v2/team/api/blobs/sha256:0', true],
    ['https://1.dkr.ecr.eu-west-1.amazonaws.com', 'https://1.dkr.ecr.eu-west-1.amazonaws.com:443/v2/', true],
    ['https://1.dkr.ecr.eu-west-1.amazonaws.com', 'http://1.dkr.ecr.eu-west-1.amazonaws.com/v2/', false],
    ['https://1.dkr.ecr.eu-west-1.amazonaws.com', 'https://1.dkr.ecr.eu-west-1.amazonaws.com:8443/v2/', false],
    ['https://1.dkr.ecr.eu-west-1.amazonaws.com', 'https://bucket.s3.eu-west-1.amazonaws.com/layer', false],
    ['http://127.0.0.1:5000', 'http://127.0.0.1:5001/v2/', false],
    ['http://127.0.0.1:5000', 'http://localhost:5000/v2/', false]
  ])('registry %s, request to %s: %p', (registry, target, expected) => {
    expect(sendsCredential(new URL(registry), new URL(target))).toBe(expected)
  })
})

describe('timeouts and retries', () => {
  const FAST = { idleMs: 200, connectMs: 200 }

  it('a PATCH accepted and never answered is abandoned after the idle limit and the blob sent again; the log says so', async () => {
    const server = await startServer()
    let stalled = 0
    server.route = (req) => {
      if (req.method !== 'PATCH' || stalled > 0) return false
      stalled++
      return true // never answered
    }
    const logged: string[] = []
    const registry = await createRegistry({ ...credentialsOf(server), sleep: async () => undefined, limits: FAST, log: (m) => logged.push(m) })
    await registry.uploadBlob('team/api', toSend)
    expect(server.blobs.get(`team/api@${BLOB_DIGEST}`)).toEqual(BLOB)
    expect(logged).toEqual([
      `Retrying the upload of blob ${BLOB_DIGEST} (${BLOB.length} bytes) to team/api (retry 1 of 3) after: no byte moved for 200 ms (idle timeout)`
    ])
  })

  it('a blob stream that stops mid-way errors after the idle limit (the upload it feeds is then retried)', async () => {
    const server = await startServer()
    server.route = (req, res) => {
      if (req.method !== 'GET') return false
      res.writeHead(200, { 'Content-Length': BLOB.length })
      res.write(BLOB.subarray(0, 100)) // then silence
      return true
    }
    const registry = await createRegistry({ ...credentialsOf(server), sleep: async () => undefined, limits: FAST })
    const stream = await registry.openBlob('team/api', BLOB_DIGEST)
    const read = (async () => {
      for await (const chunk of stream) void chunk
    })()
    await expect(read).rejects.toThrow()
  })

  it.each([
    [503, 'SlowDown', 'Please reduce your request rate.'],
    [500, 'InternalError', 'We encountered an internal error.'],
    [429, 'TOOMANYREQUESTS', 'slow down']
  ])('the source of a copy answering %d (%s) is retried, as the destination is', async (status, code, message) => {
    const server = await startServer()
    server.blobs.set(`team/src@${BLOB_DIGEST}`, BLOB)
    let failures = 0
    server.route = (req, res) => {
      if (req.method !== 'GET' || failures >= 2) return false
      failures++
      res.writeHead(status, { 'Content-Type': 'application/xml' }).end(`<Error><Code>${code}</Code><Message>${message}</Message></Error>`)
      return true
    }
    const logged: string[] = []
    const registry = await createRegistry({ ...credentialsOf(server), sleep: async () => undefined, log: (m) => logged.push(m) })
    const chunks: Buffer[] = []
    for await (const chunk of await registry.openBlob('team/src', BLOB_DIGEST)) chunks.push(chunk as Buffer)
    expect(Buffer.concat(chunks)).toEqual(BLOB)
    expect(logged).toHaveLength(2)
    expect(logged[0]).toBe(`Retrying the download of blob ${BLOB_DIGEST} of team/src (retry 1 of 3) after: HTTP ${status}`)
  })

  it('a config larger than 4 MiB is refused with one line, not read into memory', async () => {
    const server = await startServer()
    const huge = Buffer.alloc(4 * 1024 * 1024 + 1, 0x20)
    server.blobs.set(`team/api@${digestOf(huge)}`, huge)
    const registry = await registryFor(server)
    await expect(registry.readBlob('team/api', digestOf(huge))).rejects.toThrow(
      new UserError(`The registry sent more than ${MAX_BLOB_READ} bytes for /v2/team/api/blobs/${digestOf(huge)}; refused (no image config is that large).`)
    )
  })

  it('an index refused for a child the registry does not show yet is PUT again (read-after-write lag); an image manifest is not', async () => {
    const server = await startServer()
    let refusals = 0
    server.route = (req, res) => {
      if (req.method !== 'PUT' || !req.url?.includes('/manifests/') || refusals >= 2) return false
      refusals++
      res
        .writeHead(400, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ errors: [{ code: 'MANIFEST_BLOB_UNKNOWN', message: 'blob unknown to registry' }] }))
      return true
    }
    const slept: number[] = []
    const logged: string[] = []
    const registry = await createRegistry({ ...credentialsOf(server), sleep: async (ms) => void slept.push(ms), log: (m) => logged.push(m) })
    const index = Buffer.from('{"schemaVersion":2,"manifests":[]}')
    await registry.putManifest('team/api', { digest: digestOf(index), mediaType: 'application/vnd.oci.image.index.v1+json', bytes: index })
    expect(server.manifests.has(`team/api@${digestOf(index)}`)).toBe(true)
    expect(slept).toEqual([250, 500])
    expect(logged).toEqual([`ECR served the children of index ${digestOf(index)} in team/api after waiting 0.75 s for it (read-after-write lag).`])

    refusals = 1
    const image = Buffer.from('{"schemaVersion":2,"layers":[]}')
    await expect(
      registry.putManifest('team/api', { digest: digestOf(image), mediaType: 'application/vnd.oci.image.manifest.v1+json', bytes: image })
    ).rejects.toThrow(/HTTP 400: MANIFEST_BLOB_UNKNOWN blob unknown to registry/)
  })
})

function credentialsOf(server: Server): { endpoint: string; username: string; password: string } {
  return { endpoint: server.url, username: 'AWS', password: 'secret' }
}
