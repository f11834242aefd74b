import { existsSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { createDocker } from '../adapters/docker.js'
import { createEcr } from '../adapters/ecr.js'
import { createRegistry } from '../adapters/registry.js'
import { readGitHubContext, type GitHubContext } from '../adapters/github-context.js'
import { createRunner, type Runner } from '../adapters/runner.js'
import { resolveCommitSha } from '../shared/commit.js'
import { UserError } from '../shared/errors.js'
import { openEcr, registryOpener } from '../publish/clients.js'
import { isRemoteContext, parseInputs, type Inputs } from './inputs.js'
import { publishImage } from './pipeline.js'
import { assertFloatingApart } from '../publish/floating-tags.js'
import { actionOutputs, refusedSummary, summaryMarkdown } from '../publish/report.js'
import { storedDigest } from '../publish/outcome.js'
import type { RunContext } from './run-context.js'
import { STATE } from './state.js'
import { reportPublished, runStep } from '../publish/run-step.js'
import { deriveTags } from '../publish/tags.js'
import { removeWorkDir } from '../adapters/work-dir.js'

export interface Adapters {
  readonly runner: Runner
  readonly env: NodeJS.ProcessEnv
  readonly createEcr: typeof createEcr
  /** The workflow's event, from @actions/github (which reads process.env, not `env`). */
  readonly github: () => Promise<GitHubContext>
  readonly docker: RunContext['docker']
  readonly now: () => Date
  readonly createRegistry: typeof createRegistry
  readonly sleep?: (ms: number) => Promise<void>
}

export function defaultAdapters(): Adapters {
  return { runner: createRunner(), env: process.env, createEcr, github: readGitHubContext, docker: createDocker(), now: () => new Date(), createRegistry }
}

/** The main step: inputs, then the publishing run; runStep turns anything thrown into the step's failure. */
export async function run(adapters: Adapters = defaultAdapters()): Promise<void> {
  const { runner, env } = adapters
  runner.saveState(STATE.isPost, 'true')
  await runStep(
    runner,
    async () => {
      // Everything the user can get wrong is checked here, before any network call or build.
      const inputs = parseInputs((name) => runner.input(name), env)
      // A blank value (a secret a fork's pull request cannot read) has nothing to hide, and a mask of spaces would hide every space.
      for (const secret of inputs.secrets) if (secret.value.trim() !== '') runner.setSecret(secret.value)
      assertLocalFilesExist(inputs)
      const github = await adapters.github()
      const sha = resolveCommitSha(inputs.sha, github)
      const tags = deriveTags({ sha, tagPrefix: inputs.tagPrefix, shaLength: inputs.shaLength, extraTags: inputs.extraTags })
      assertFloatingApart(inputs.floatingTags, tags.all)
      runner.info(`Commit ${sha}; tags: ${tags.all.join(', ')}.`)

      const workDir = join(env.RUNNER_TEMP || tmpdir(), `immutable-ecr-build-${randomBytes(6).toString('hex')}`)
      runner.saveState(STATE.workDir, workDir)
      mkdirSync(workDir, { recursive: true, mode: 0o700 })

      const ecr = openEcr(adapters, env, { region: inputs.awsRegion, registryId: inputs.registryId })
      const context: RunContext = {
        inputs,
        sha,
        tags,
        sourceUrl: github.repositoryUrl,
        runId: github.runId,
        workDir,
        runner,
        ecr,
        docker: adapters.docker,
        env,
        now: adapters.now,
        openRegistry: registryOpener(adapters, env),
        ...(adapters.sleep ? { sleep: adapters.sleep } : {})
      }
      try {
        const outcome = await publishImage(context)
        const digest = storedDigest(outcome)
        await reportPublished(runner, {
          outputs: actionOutputs(outcome),
          named: digest && outcome.tags.length ? { ...outcome, digest } : undefined,
          floating: {
            target: { ecr, registryHost: outcome.registryHost, repository: outcome.repository, anyMutable: false, runner, sleep: adapters.sleep },
            tags: inputs.floatingTags
          },
          imageLine: digest ? `Image: ${outcome.registryHost}/${outcome.repository}@${digest}` : 'Nothing was pushed (push: false).',
          summary: summaryMarkdown(outcome)
        })
      } finally {
        // The ECR login goes as soon as it is no longer needed; the post step only covers a killed main.
        removeWorkDir(runner, workDir)
      }
    },
    { refusedSummary: refusedSummary }
  )
}

function assertLocalFilesExist(inputs: Inputs): void {
  for (const secret of inputs.secretFiles) {
    if (!existsSync(secret.path)) {
      throw new UserError(
        `Input 'secret-files': the file '${secret.path}' for secret '${secret.id}' does not exist: write it in an earlier step, or fix the path.`
      )
    }
  }
  if (isRemoteContext(inputs.context)) return
  if (inputs.context.startsWith('-')) {
    throw new UserError(`Input 'context' '${inputs.context}' must be a folder path or a Git URL, and must not start with '-'.`)
  }
  if (!existsSync(inputs.context)) {
    throw new UserError(`Input 'context' '${inputs.context}' does not exist: set it to the folder to build, relative to the workspace.`)
  }
  if (!existsSync(inputs.file)) {
    throw new UserError(
      `Input 'file': the Dockerfile '${inputs.file}' does not exist: set file to the Dockerfile's path, or context to the folder that holds it.`
    )
  }
}
