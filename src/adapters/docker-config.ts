import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { RegistryCredentials } from './ecr.js'

export type DockerConfig = Record<string, unknown> & {
  auths?: Record<string, unknown>
  credHelpers?: Record<string, string>
  credsStore?: string
}

/**
 * The private config: the user's settings and other registries' logins (private base images keep
 * working), plus the ECR login. credsStore is dropped because a credential store would carry the
 * ECR password out of the job's temporary folder and keep it after the job.
 */
export function privateDockerConfig(userConfig: DockerConfig, credentials: RegistryCredentials): DockerConfig {
  const { credsStore: _store, credHelpers, auths, ...rest } = userConfig
  const helpers = { ...(credHelpers ?? {}) }
  delete helpers[credentials.registryHost]
  const auth = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')
  return {
    ...rest,
    ...(Object.keys(helpers).length ? { credHelpers: helpers } : {}),
    auths: { ...(auths ?? {}), [credentials.registryHost]: { auth } }
  }
}

export function userDockerConfigDir(env: NodeJS.ProcessEnv): string {
  return env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker')
}

/** buildx's own config folder (its builders, its build node id): BUILDX_CONFIG, or `buildx` in the docker config folder. */
export function userBuildxConfigDir(env: NodeJS.ProcessEnv): string {
  return env.BUILDX_CONFIG || join(userDockerConfigDir(env), 'buildx')
}

/**
 * Writes the private DOCKER_CONFIG under the action's work folder and returns the environment every
 * docker call must use. The user's own config is read, never written.
 *
 * docker login is not used on purpose: when docker-credential-pass or -secretservice is on PATH it
 * hands the password to that store, where it would outlive the job on a shared self-hosted runner.
 */
export function writePrivateDockerConfig(options: { readonly directory: string; readonly credentials: RegistryCredentials; readonly env: NodeJS.ProcessEnv }): {
  readonly env: NodeJS.ProcessEnv
  readonly droppedCredsStore: string | undefined
} {
  const userDir = userDockerConfigDir(options.env)
  const userConfig = readUserConfig(join(userDir, 'config.json'))
  mkdirSync(options.directory, { recursive: true, mode: 0o700 })
  writeFileSync(join(options.directory, 'config.json'), JSON.stringify(privateDockerConfig(userConfig, options.credentials), null, 2), { mode: 0o600 })
  // Plugins installed per user (docker/setup-buildx-action puts buildx there) and named contexts must still resolve.
  for (const shared of ['cli-plugins', 'contexts']) {
    const source = join(userDir, shared)
    const target = join(options.directory, shared)
    if (existsSync(source) && !existsSync(target)) symlinkSync(source, target)
  }
  return {
    env: {
      ...options.env,
      DOCKER_CONFIG: options.directory,
      // Builders are stored under the config folder; keep resolving the user's, e.g. from setup-buildx-action.
      BUILDX_CONFIG: userBuildxConfigDir(options.env)
    },
    droppedCredsStore: userConfig.credsStore
  }
}

function readUserConfig(path: string): DockerConfig {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as unknown
    return parsed !== null && typeof parsed === 'object' ? (parsed as DockerConfig) : {}
  } catch {
    return {}
  }
}

/** What resolveEngineEndpoint needs from the user's docker config folder: config.json and the contexts' endpoints. */
export function readDockerContextFiles(env: NodeJS.ProcessEnv): { dockerConfig: string | undefined; contextHost: (name: string) => string | undefined } {
  const userDir = userDockerConfigDir(env)
  return {
    dockerConfig: readOptional(join(userDir, 'config.json')),
    contextHost: (name) => {
      // The CLI keeps each context under the SHA-256 of its name.
      const meta = readOptional(join(userDir, 'contexts', 'meta', createHash('sha256').update(name).digest('hex'), 'meta.json'))
      try {
        const host = (JSON.parse(meta ?? 'null') as { Endpoints?: { docker?: { Host?: unknown } } } | null)?.Endpoints?.docker?.Host
        return typeof host === 'string' && host !== '' ? host : undefined
      } catch {
        return undefined
      }
    }
  }
}

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
}
