import { readFileSync } from 'node:fs'
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
}

const DEFAULT_ENDPOINT = 'unix:///var/run/docker.sock'

/**
 * The driver of the builder buildx will use, read from buildx's config folder, or undefined when the
 * files leave any doubt (another docker context or host, an unknown builder): then the caller asks
 * `docker buildx inspect`. Reading two small files is much cheaper than starting docker and the buildx
 * plugin, which every run would otherwise pay (README: Performance).
 */
export function driverFromBuildxConfig(builder: string | undefined, env: NodeJS.ProcessEnv, files: BuildxConfigFiles): string | undefined {
  const defaultEngine = !env.DOCKER_HOST && !env.DOCKER_CONTEXT && !nonDefaultContext(files.dockerConfig)
  // buildx's own precedence: the --builder flag (the input), then BUILDX_BUILDER.
  const name = builder || env.BUILDX_BUILDER
  if (name) {
    const driver = instanceDriver(files.instance(name))
    if (driver) return driver
    return name === 'default' && defaultEngine ? 'docker' : undefined
  }
  if (!defaultEngine) return undefined
  if (files.current === undefined) return 'docker'
  const current = parseObject(files.current)
  if (current?.Key !== DEFAULT_ENDPOINT) return undefined
  if (current.Name === '' || current.Name === undefined) return 'docker'
  return typeof current.Name === 'string' ? instanceDriver(files.instance(current.Name)) : undefined
}

export function readBuildxConfigFiles(env: NodeJS.ProcessEnv): BuildxConfigFiles {
  const userDir = userDockerConfigDir(env)
  const buildxDir = env.BUILDX_CONFIG || join(userDir, 'buildx')
  return {
    current: readOptional(join(buildxDir, 'current')),
    instance: (name) => (/^[A-Za-z0-9_.-]+$/.test(name) ? readOptional(join(buildxDir, 'instances', name)) : undefined),
    dockerConfig: readOptional(join(userDir, 'config.json'))
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

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
}
