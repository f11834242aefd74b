import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { toGitHubContext, type GitHubContext } from '../src/adapters/github-context.js'
import { resolveCommitSha } from '../src/shared/commit.js'
import { parseInputs } from '../src/build-image/inputs.js'
import type { Adapters } from '../src/build-image/main.js'
import type { RunContext } from '../src/build-image/run-context.js'
import type { Outcome, StoredOutcome } from '../src/publish/outcome.js'
import type { TagMutability } from '../src/shared/tag-policy.js'
import { deriveTags } from '../src/publish/tags.js'
import { FakeDocker } from './fake-docker.js'
import { FAKE_REGION, FakeEcr } from './fake-ecr.js'
import { FakeRegistry } from './fake-registry.js'
import { FakeRunner } from './fake-runner.js'

export const SHA = '3f2a9c1e4b5d6f708192a3b4c5d6e7f801234567'
export const PR_HEAD_SHA = '0123456789abcdef0123456789abcdef01234567'
export const REPOSITORY = 'team/api'
/** GITHUB_RUN_ID of every world's run: the run-id label the build writes and the merge's discovery looks for. */
export const RUN_ID = '16842214551'
export const NOW = new Date('2026-11-25T09:30:00.000Z')

/** The outcome of a run that left an image in the repository; any other result fails the test here. */
export function stored(outcome: Outcome): StoredOutcome {
  if (!('digest' in outcome)) throw new Error(`expected an image in the repository, got the result ${outcome.result}`)
  return outcome
}

export interface WorldOptions {
  /** Inputs on top of repository: team/api and context: <a temp folder with a Dockerfile>. */
  readonly inputs?: Record<string, string>
  /** buildx driver `buildx inspect` reports. */
  readonly driver?: 'docker' | 'docker-container'
  /** The engine's image store (docker driver). */
  readonly imageStore?: 'classic' | 'containerd'
  /** Mutability of team/api; null: the repository does not exist. */
  readonly mutability?: TagMutability | null
  readonly exclusionFilters?: readonly string[]
  /** The user's ~/.docker/config.json, if any. */
  readonly userDockerConfig?: Record<string, unknown>
  readonly env?: NodeJS.ProcessEnv
}

export interface World {
  readonly root: string
  readonly contextDir: string
  readonly home: string
  readonly runnerTemp: string
  readonly env: NodeJS.ProcessEnv
  readonly runner: FakeRunner
  readonly ecr: FakeEcr
  readonly docker: FakeDocker
  readonly registry: FakeRegistry
  /** What main's run() receives. */
  adapters(): Adapters
  /** What main builds before calling publishImage. */
  runContext(): RunContext
  cleanup(): void
}

/** A runner, a registry and a docker engine that know about each other, in a temp folder. */
export function createWorld(options: WorldOptions = {}): World {
  const root = mkdtempSync(join(tmpdir(), 'ieb-unit-'))
  const contextDir = join(root, 'app')
  mkdirSync(contextDir)
  writeFileSync(join(contextDir, 'Dockerfile'), 'FROM scratch\nCOPY . /\n')
  const home = join(root, 'home')
  mkdirSync(join(home, '.docker'), { recursive: true })
  if (options.userDockerConfig) {
    writeFileSync(join(home, '.docker', 'config.json'), JSON.stringify(options.userDockerConfig))
  }
  const runnerTemp = join(root, 'runner-temp')
  mkdirSync(runnerTemp)

  const env: NodeJS.ProcessEnv = {
    HOME: home,
    RUNNER_TEMP: runnerTemp,
    AWS_REGION: FAKE_REGION,
    GITHUB_SHA: SHA,
    GITHUB_EVENT_NAME: 'push',
    GITHUB_REPOSITORY: 'acme/web',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: RUN_ID,
    // A docker context makes the action ask `buildx inspect` (the fake) for the driver instead of reading
    // buildx's config folder; __tests__/adapters/buildx-config.test.ts covers that path.
    DOCKER_CONTEXT: 'fake-engine',
    ...options.env
  }
  const runner = new FakeRunner({ repository: REPOSITORY, context: contextDir, ...options.inputs })
  const ecr = new FakeEcr()
  if (options.mutability !== null) ecr.addRepository(REPOSITORY, options.mutability ?? 'IMMUTABLE', options.exclusionFilters ?? [])
  const docker = new FakeDocker(ecr)
  docker.driver = options.driver ?? 'docker'
  docker.imageStore = options.imageStore ?? 'classic'
  const registry = new FakeRegistry(ecr)

  return {
    root,
    contextDir,
    home,
    runnerTemp,
    env,
    runner,
    ecr,
    docker,
    registry,
    adapters: () => ({
      runner,
      env,
      createEcr: ecr.factory,
      github: () => Promise.resolve(githubContextOf(env)),
      docker,
      now: () => NOW,
      createRegistry: (options) => registry.open({ registryHost: '', endpoint: options.endpoint, username: options.username, password: options.password }),
      // Retries and read-after-write waits take no time in unit tests.
      sleep: async () => undefined
    }),
    runContext: () => {
      const inputs = parseInputs(runner.input, env)
      const sha = resolveCommitSha(inputs.sha, { eventName: env.GITHUB_EVENT_NAME ?? '', githubSha: env.GITHUB_SHA ?? '' })
      const tags = deriveTags({ sha, tagPrefix: inputs.tagPrefix, shaLength: inputs.shaLength, extraTags: inputs.extraTags })
      const workDir = join(runnerTemp, 'work')
      mkdirSync(workDir, { recursive: true, mode: 0o700 })
      const ecrAdapter = ecr.factory({ region: inputs.awsRegion, registryId: inputs.registryId, mask: runner.setSecret })
      return {
        inputs,
        sha,
        tags,
        sourceUrl: 'https://github.com/acme/web',
        runId: env.GITHUB_RUN_ID ?? '',
        workDir,
        runner,
        ecr: ecrAdapter,
        docker,
        env,
        now: () => NOW,
        openRegistry: registry.open,
        sleep: async () => undefined
      }
    },
    cleanup: () => rmSync(root, { recursive: true, force: true })
  }
}

/**
 * What @actions/github's context would say for this world's environment, read when main asks (tests set
 * GITHUB_EVENT_PATH after creating the world). __tests__/adapters/github-context.test.ts covers the real one.
 */
function githubContextOf(env: NodeJS.ProcessEnv): GitHubContext {
  const payload = env.GITHUB_EVENT_PATH ? (JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as object) : {}
  return toGitHubContext({
    eventName: env.GITHUB_EVENT_NAME,
    sha: env.GITHUB_SHA,
    payload,
    serverUrl: env.GITHUB_SERVER_URL,
    repository: env.GITHUB_REPOSITORY,
    runId: env.GITHUB_RUN_ID === undefined ? undefined : Number.parseInt(env.GITHUB_RUN_ID, 10)
  })
}
