import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { userDockerConfigDir } from './docker-config.js'

/** The parts of buildx's own config folder that name the current builder and its driver. */
export interface BuildxConfigFiles {
  /** `current`: {"Key": docker endpoint, "Name": builder, "Global": bool}; undefined when absent. */
  readonly current: string | undefined
  /** `instances/<name>`: {"Name", "Driver", "Nodes"}; undefined when absent. */
  readonly instance: (name: string) => string | undefined
  /** The user's docker config.json (for currentContext). */
  readonly dockerConfig: string | undefined
  /** Whether `defaults/` holds a file: a `docker buildx use --default` choice, kept per engine endpoint. */
  readonly hasDefaults: boolean
}

const DEFAULT_ENDPOINT = 'unix:///var/run/docker.sock'

/**
 * The driver of the builder buildx will use, read from buildx's config folder, or undefined when the
 * files leave any doubt (a docker context, an unknown builder, a per-endpoint default): then the caller
 * asks `docker buildx inspect`. Reading two small files is much cheaper than starting docker and the
 * buildx plugin (about 100 ms), which every run would otherwise pay (docs/performance.md).
 *
 * buildx keeps `current` per engine endpoint (its Key: DOCKER_HOST, or the default socket): it applies
 * when its Key is this endpoint or it is Global; otherwise buildx takes the endpoint's `use --default`
 * choice from `defaults/`, and failing that the engine's own builder, whose driver is docker.
 */
export function driverFromBuildxConfig(builder: string | undefined, env: NodeJS.ProcessEnv, files: BuildxConfigFiles): string | undefined {
  const engineFromEnvironment = !env.DOCKER_CONTEXT && !nonDefaultContext(files.dockerConfig)
  // buildx's own precedence: the --builder flag (the input), then BUILDX_BUILDER.
  const name = builder || env.BUILDX_BUILDER
  if (name) {
    const driver = instanceDriver(files.instance(name))
    if (driver) return driver
    return name === 'default' && engineFromEnvironment ? 'docker' : undefined
  }
  if (!engineFromEnvironment) return undefined
  const current = files.current === undefined ? undefined : parseObject(files.current)
  if (files.current !== undefined && current === undefined) return undefined
  if (current && (current.Key === (env.DOCKER_HOST || DEFAULT_ENDPOINT) || current.Global === true)) {
    if (current.Name === '' || current.Name === undefined) return 'docker'
    return typeof current.Name === 'string' ? instanceDriver(files.instance(current.Name)) : undefined
  }
  return files.hasDefaults ? undefined : 'docker'
}

export function readBuildxConfigFiles(env: NodeJS.ProcessEnv): BuildxConfigFiles {
  const userDir = userDockerConfigDir(env)
  const buildxDir = env.BUILDX_CONFIG || join(userDir, 'buildx')
  return {
    current: readOptional(join(buildxDir, 'current')),
    instance: (name) => (/^[A-Za-z0-9_.-]+$/.test(name) ? readOptional(join(buildxDir, 'instances', name)) : undefined),
    dockerConfig: readOptional(join(userDir, 'config.json')),
    hasDefaults: hasFiles(join(buildxDir, 'defaults'))
  }
}

function instanceDriver(text: string | undefined): string | undefined {
  const driver = text === undefined ? undefined : parseObject(text)?.Driver
  return typeof driver === 'string' && driver !== '' ? driver : undefined
}

function nonDefaultContext(dockerConfig: string | undefined): boolean {
  const context = dockerConfig === undefined ? undefined : parseObject(dockerConfig)?.currentContext
  return typeof context === 'string' && context !== '' && context !== 'default'
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

function hasFiles(folder: string): boolean {
  try {
    return readdirSync(folder).length > 0
  } catch {
    return false
  }
}

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
}

/**
 * A private buildx config folder for a builder of the action's own, with the user's build node id in it:
 * buildx derives the key under which BuildKit keeps a build context between builds from that id and the
 * context's path, so with a fresh id every run would send the whole context again (64 MiB of unchanged
 * files cost about 2 s here). The user's folder is only read.
 */
export function createPrivateBuildxConfig(userBuildxDir: string | undefined, directory: string): void {
  mkdirSync(directory, { recursive: true, mode: 0o700 })
  const nodeId = userBuildxDir === undefined ? undefined : readOptional(join(userBuildxDir, '.buildNodeID'))
  if (nodeId !== undefined) writeFileSync(join(directory, '.buildNodeID'), nodeId, { mode: 0o600 })
}
