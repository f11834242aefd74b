import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CommandOptions, CommandResult, Docker } from '../src/adapters/docker.js'
import type { StoredImage } from '../src/adapters/ecr.js'
import { FAKE_PASSWORD, type FakeEcr } from './fake-ecr.js'
import { echoThrough } from './fake-engine.js'
import { CONFIG_BLOBS, configDigest, imageManifest, multiPlatformImage } from './images.js'

export interface DockerCall {
  readonly args: readonly string[]
  readonly options: CommandOptions
}

export interface FakeBuild {
  readonly args: readonly string[]
  /** What buildx produced: the pushed/loaded manifest (an index for several platforms). */
  readonly image: StoredImage
  readonly children: readonly StoredImage[]
  /** The config digest of a single-platform build. */
  readonly configDigest: string | undefined
  readonly metadata: Record<string, unknown>
}

const OK: CommandResult = { exitCode: 0, stdout: '', stderr: '' }

/** The value of every `--flag=value` element for one flag. */
export function flagValues(args: readonly string[], flag: string): string[] {
  return args.filter((arg) => arg.startsWith(`--${flag}=`)).map((arg) => arg.slice(flag.length + 3))
}

/** Splits `<host>/<repository>:<tag>` (the host has no port here). */
export function splitReference(reference: string): { host: string; repository: string; tag: string } {
  const slash = reference.indexOf('/')
  const colon = reference.lastIndexOf(':')
  return { host: reference.slice(0, slash), repository: reference.slice(slash + 1, colon), tag: reference.slice(colon + 1) }
}

/**
 * Docker + buildx against the fake registry. `buildx inspect` reports `driver`; `buildx build` writes
 * the metadata file and either keeps the image in the engine (docker driver: --load / --tag) or pushes
 * it by digest into the FakeEcr; `push` writes the tag in the FakeEcr and prints what docker prints;
 * `image rm` drops a local tag. Registry writes need the ECR login in the DOCKER_CONFIG they are given.
 */
export class FakeDocker implements Docker {
  readonly calls: DockerCall[] = []
  readonly builds: FakeBuild[] = []
  /** The engine's image store: reference → image. */
  readonly local = new Map<string, StoredImage>()
  driver = 'docker'
  /** The engine's image store, as `docker info` reports it. */
  imageStore: 'classic' | 'containerd' = 'classic'
  /** A label mixed into every build's config, so two worlds build different images. */
  buildLabel = 'this-run'
  /** Replaces keys of the metadata buildx writes (e.g. a config digest that is not what was pushed). */
  metadataOverride: Record<string, unknown> | undefined
  /** docker driver: whether the metadata also carries containerimage.config.digest (besides the image id). */
  loadReportsConfigDigest = false
  /** Replaces the digest `docker push` prints. */
  pushPrints: string | undefined
  /**
   * Runs before every command; may change the world (another run at that moment) or return a result
   * that replaces the command's own behaviour.
   */
  before: ((call: DockerCall) => CommandResult | undefined | Promise<CommandResult | undefined>) | undefined
  /** `remote` builders made with `buildx create`: name → endpoint and the BUILDX_CONFIG that holds it. */
  readonly remoteBuilders = new Map<string, { readonly endpoint: string; readonly buildxConfig: string | undefined }>()

  constructor(readonly ecr: FakeEcr) {}

  /** The argv of every call starting with these words. */
  callsStartingWith(...words: string[]): DockerCall[] {
    return this.calls.filter((call) => words.every((word, i) => call.args[i] === word))
  }

  /** The one `buildx build` argv, or undefined when nothing was built. */
  buildArgs(): readonly string[] | undefined {
    const builds = this.callsStartingWith('buildx', 'build')
    if (builds.length > 1) throw new Error(`expected at most one build, saw ${builds.length}`)
    return builds[0]?.args
  }

  async run(args: readonly string[], options: CommandOptions = {}): Promise<CommandResult> {
    const call = { args: [...args], options }
    this.calls.push(call)
    const replaced = await this.before?.(call)
    if (replaced) return replaced
    if (args[0] === 'buildx' && args[1] === 'inspect') {
      return { exitCode: 0, stdout: `Name:          ${args[2] ?? 'default'}\nDriver:        ${this.driver}\n\nNodes:\n`, stderr: '' }
    }
    if (args[0] === 'buildx' && args[1] === 'create') return this.create(args, options)
    if (args[0] === 'buildx' && args[1] === 'build') {
      const unreachable = await this.dialRemoteBuilder(args, options)
      return unreachable ?? this.build(args, options)
    }
    if (args[0] === 'info') {
      const status = this.imageStore === 'containerd' ? [['driver-type', 'io.containerd.snapshotter.v1']] : [['Backing Filesystem', 'extfs']]
      return { ...OK, stdout: `${JSON.stringify(status)}\n` }
    }
    if (args[0] === 'push') return this.push(args[1] ?? '', options)
    if (args[0] === 'image' && args[1] === 'inspect') {
      const image = this.local.get(args[args.length - 1] ?? '')
      return image
        ? { ...OK, stdout: `${Buffer.byteLength(image.manifest) * 1000}\n` }
        : { exitCode: 1, stdout: '', stderr: `Error: No such image: ${args[args.length - 1]}` }
    }
    if (args[0] === 'image' && args[1] === 'rm') {
      const existed = this.local.delete(args[2] ?? '')
      return existed ? { ...OK, stdout: `Untagged: ${args[2]}\n` } : { exitCode: 1, stdout: '', stderr: `Error: No such image: ${args[2]}` }
    }
    return { exitCode: 127, stdout: '', stderr: `fake docker: unknown command ${args.join(' ')}` }
  }

  private create(args: readonly string[], options: CommandOptions): CommandResult {
    const name = args[args.indexOf('--name') + 1] ?? ''
    const driver = args[args.indexOf('--driver') + 1]
    const endpoint = args[args.length - 1] ?? ''
    if (driver !== 'remote' || !endpoint.startsWith('unix://'))
      return { exitCode: 1, stdout: '', stderr: `fake docker: unexpected buildx create ${args.join(' ')}` }
    this.remoteBuilders.set(name, { endpoint, buildxConfig: options.env?.BUILDX_CONFIG })
    return { ...OK, stdout: `${name}\n` }
  }

  /** A build on a `remote` builder dials its endpoint as buildx does (one echo through it); a failed dial fails the build. */
  private async dialRemoteBuilder(args: readonly string[], options: CommandOptions): Promise<CommandResult | undefined> {
    const name = flagValues(args, 'builder')[0]
    const builder = name === undefined ? undefined : this.remoteBuilders.get(name)
    if (!builder) return undefined
    if (options.env?.BUILDX_CONFIG !== builder.buildxConfig) return { exitCode: 1, stdout: '', stderr: `ERROR: no builder "${name}" found` }
    const echoed = await echoThrough(builder.endpoint.slice('unix://'.length), 'PRI * HTTP/2.0').catch((error: Error) => error.message)
    return echoed === 'PRI * HTTP/2.0' ? undefined : { exitCode: 1, stdout: '', stderr: `ERROR: failed to dial ${builder.endpoint}: ${echoed}` }
  }

  private loggedIn(host: string, options: CommandOptions): boolean {
    const dir = options.env?.DOCKER_CONFIG
    if (!dir) return false
    try {
      const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { auths?: Record<string, { auth?: string }> }
      const auth = config.auths?.[host]?.auth
      return auth !== undefined && Buffer.from(auth, 'base64').toString('utf8') === `AWS:${FAKE_PASSWORD}`
    } catch {
      return false
    }
  }

  private build(args: readonly string[], options: CommandOptions): CommandResult {
    const platforms = flagValues(args, 'platform').flatMap((value) => value.split(','))
    const label = `${this.buildLabel}:${this.builds.length}`
    let image: StoredImage
    let children: readonly StoredImage[] = []
    let config: string | undefined
    if (platforms.length > 1) {
      const multi = multiPlatformImage(label, platforms)
      image = multi.index
      children = multi.children
    } else {
      // A one-platform build's config names that platform, as BuildKit's does.
      config = configDigest(platforms.length === 1 ? `${label}:${platforms[0]}` : label)
      image = imageManifest(config)
    }
    const output = flagValues(args, 'output')[0]
    const layoutDir = output?.startsWith('type=oci,') ? /(?:^|,)dest=([^,]+)/.exec(output)?.[1] : undefined
    const pushByDigest = output?.includes('push-by-digest=true') ?? false
    // What buildx reports: BuildKit drivers the manifest (or index) digest and the config digest; the
    // docker driver, which stores the image in the engine, the local image id (= the config digest).
    const metadata: Record<string, unknown> = {
      'buildx.build.ref': `default/default/${label}`,
      ...(pushByDigest || layoutDir !== undefined || !config
        ? { 'containerimage.digest': image.digest, ...(config ? { 'containerimage.config.digest': config } : {}) }
        : { 'containerimage.digest': config, ...(this.loadReportsConfigDigest ? { 'containerimage.config.digest': config } : {}) }),
      ...(this.metadataOverride ?? {})
    }

    if (pushByDigest && output) {
      const name = /(?:^|,)name=([^,]+)/.exec(output)?.[1] ?? ''
      const slash = name.indexOf('/')
      const host = name.slice(0, slash)
      const repository = this.ecr.repositories.get(name.slice(slash + 1))
      if (!this.loggedIn(host, options)) return { exitCode: 1, stdout: '', stderr: 'ERROR: failed to push: 401 Unauthorized: no basic auth credentials' }
      if (!repository) return { exitCode: 1, stdout: '', stderr: `ERROR: failed to push ${name}: name unknown` }
      for (const child of children) repository.images.set(child.digest, child)
      repository.images.set(image.digest, image)
    } else if (layoutDir) {
      writeLayout(layoutDir, image, children)
    } else {
      for (const reference of flagValues(args, 'tag')) this.local.set(reference, image)
    }
    const metadataFile = flagValues(args, 'metadata-file')[0]
    if (metadataFile) writeFileSync(metadataFile, JSON.stringify(metadata))
    this.builds.push({ args: [...args], image, children, configDigest: config, metadata })
    return { exitCode: 0, stdout: '#1 [internal] load build definition from Dockerfile\n#1 DONE 0.0s\n', stderr: '' }
  }

  private push(reference: string, options: CommandOptions): CommandResult {
    const image = this.local.get(reference)
    if (!image) {
      return { exitCode: 1, stdout: '', stderr: `An image does not exist locally with the tag: ${reference}` }
    }
    const { host, repository, tag } = splitReference(reference)
    if (!this.loggedIn(host, options)) return { exitCode: 1, stdout: '', stderr: 'no basic auth credentials' }
    const build = this.builds.find((entry) => entry.image.digest === image.digest)
    const result = this.ecr.receivePush(repository, tag, build?.children ?? [], image)
    if (!result.ok) {
      return { exitCode: 1, stdout: `The push refers to repository [${host}/${repository}]\n`, stderr: result.message }
    }
    return {
      exitCode: 0,
      stdout: `The push refers to repository [${host}/${repository}]\n5f70bf18a086: Pushed\n${tag}: digest: ${this.pushPrints ?? image.digest} size: 1\n`,
      stderr: ''
    }
  }
}

/** An OCI image layout as buildx's oci exporter writes it with tar=false. */
function writeLayout(directory: string, top: StoredImage, children: readonly StoredImage[]): void {
  const blobs = join(directory, 'blobs', 'sha256')
  mkdirSync(blobs, { recursive: true })
  const write = (digest: string, bytes: string): void => writeFileSync(join(blobs, digest.slice('sha256:'.length)), bytes)
  for (const image of [top, ...children]) {
    write(image.digest, image.manifest)
    const config = (JSON.parse(image.manifest) as { config?: { digest: string } }).config?.digest
    if (config) write(config, CONFIG_BLOBS.get(config) ?? '{}')
  }
  writeFileSync(join(directory, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}')
  writeFileSync(
    join(directory, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [{ mediaType: top.mediaType, digest: top.digest, size: top.manifest.length }]
    })
  )
}
