import { createEcr } from '../adapters/ecr.js'
import { readGitHubContext, type GitHubContext } from '../adapters/github-context.js'
import { createRegistry } from '../adapters/registry.js'
import { createRunner, type Runner } from '../adapters/runner.js'
import { resolveCommitSha } from '../shared/commit.js'
import { UserError } from '../shared/errors.js'
import { applyFloatingTags, assertFloatingApart } from '../publish/floating-tags.js'
import { parseBoolean, parseInputs } from '../build/inputs.js'
import { openEcr, registryOpener } from '../publish/clients.js'
import { failStep, writeSummary } from '../publish/step-end.js'
import { failedAfterTags } from '../publish/tags-written.js'
import { mergeImages } from './merge.js'
import { parseDigestsInput, type Claim } from './merge-plan.js'
import { actionOutputs, summaryMarkdown } from '../publish/report.js'
import { RefusedError } from '../build/run-context.js'
import { deriveTags } from '../publish/tags.js'

/** The inputs merge/action.yml declares; every other input of the main action reads as its default. */
export const MERGE_INPUTS = [
  'repository',
  'registry-id',
  'aws-region',
  'digests',
  'require-same-run',
  'platforms',
  'sha',
  'tag-prefix',
  'sha-length',
  'extra-tags',
  'floating-tags',
  'if-tag-exists',
  'require-immutable-repository',
  'fail-on-severity',
  'scan-timeout',
  'on-scan-timeout',
  'require-signature',
  'signature-timeout'
] as const

/** The outputs merge/action.yml declares: the main action's, less what only a build has. */
export const MERGE_OUTPUTS = ['digest', 'image', 'image-name', 'image-uri', 'tag', 'tags', 'registry', 'repository', 'pushed', 'platform-digests'] as const

export interface MergeAdapters {
  readonly runner: Runner
  readonly env: NodeJS.ProcessEnv
  readonly createEcr: typeof createEcr
  readonly createRegistry: typeof createRegistry
  readonly sleep?: (ms: number) => Promise<void>
  /** The workflow's event, from @actions/github. */
  readonly github: () => Promise<GitHubContext>
}

export function defaultMergeAdapters(): MergeAdapters {
  return { runner: createRunner(), env: process.env, createEcr, createRegistry, github: readGitHubContext }
}

/** Inputs only the merge action has, and their defaults as merge/action.yml declares them. */
export const MERGE_ONLY_DEFAULTS = { digests: '', 'require-same-run': 'true' } as const

/**
 * The workflow run whose legs discovery may take: this run's id under require-same-run (the default),
 * undefined when it is off or when digests are given (the user named the images).
 */
export function discoveryRunBinding(claims: readonly Claim[] | 'discover', requireSameRun: string, runId: string): string | undefined {
  const bound = parseBoolean('require-same-run', requireSameRun.trim() || MERGE_ONLY_DEFAULTS['require-same-run'])
  if (claims !== 'discover' || !bound) return undefined
  if (runId === '') {
    throw new UserError(
      "Input 'require-same-run' 'true' takes only legs of this workflow run, and GITHUB_RUN_ID is not set (a run outside GitHub Actions): give the legs' digests, or set require-same-run: false."
    )
  }
  return runId
}

/** The digests given, or with none, the platforms to find in the repository (discovery needs to know what it looks for). */
export function claimsToMerge(digests: string, platforms: readonly string[]): readonly Claim[] | 'discover' {
  if (digests.trim() !== '') return parseDigestsInput(digests)
  if (platforms.length === 0) {
    throw new UserError(
      "Input 'digests' is empty and 'platforms' is not set: give the per-platform steps' digest outputs, or the platforms to find in the repository, e.g. linux/amd64,linux/arm64."
    )
  }
  return 'discover'
}

/** The merge step. Like main's run(): the one place where anything thrown becomes the step's failure. */
export async function runMerge(adapters: MergeAdapters = defaultMergeAdapters()): Promise<void> {
  const { runner, env } = adapters
  try {
    // The main action's parser checks the shared inputs the same way; build inputs read as defaults.
    const declared = new Set<string>(MERGE_INPUTS)
    const inputs = parseInputs((name) => (declared.has(name) ? runner.input(name) : ''), env)
    const claims = claimsToMerge(runner.input('digests'), inputs.platforms)
    const github = await adapters.github()
    const boundRunId = discoveryRunBinding(claims, runner.input('require-same-run'), github.runId)
    const sha = resolveCommitSha(inputs.sha, github)
    const tags = deriveTags({ sha, tagPrefix: inputs.tagPrefix, shaLength: inputs.shaLength, extraTags: inputs.extraTags })
    assertFloatingApart(inputs.floatingTags, tags.all)
    const what =
      claims === 'discover'
        ? `finding ${inputs.platforms.join(', ')} in ${inputs.repository}${boundRunId ? ` uploaded by this workflow run (${boundRunId})` : ''}`
        : `merging ${claims.length} digest(s)`
    runner.info(`Commit ${sha}; ${what}; tags: ${tags.all.join(', ')}.`)
    const ecr = openEcr(adapters, env, { region: inputs.awsRegion, registryId: inputs.registryId })
    try {
      const outcome = await mergeImages({
        inputs,
        sha,
        tags,
        runner,
        ecr,
        claims,
        boundRunId,
        openRegistry: registryOpener(adapters, env),
        ...(adapters.sleep ? { sleep: adapters.sleep } : {})
      })
      const outputs = actionOutputs(outcome)
      for (const name of MERGE_OUTPUTS) runner.setOutput(name, outputs[name] ?? '')
      // Floating tags move last, after every immutable tag is proven, as in the build action.
      await applyFloatingTags({ inputs, ecr, runner, sleep: adapters.sleep }, outcome.digest).catch((error: unknown) => {
        throw failedAfterTags(error, outcome)
      })
      runner.info(`Image: ${outcome.registryHost}/${outcome.repository}@${outcome.digest}`)
      await writeSummary(runner, summaryMarkdown(outcome))
    } catch (error) {
      if (error instanceof RefusedError && error.outcome) {
        await writeSummary(runner, summaryMarkdown({ ...error.outcome, result: 'refused', note: error.message }))
      }
      throw error
    }
  } catch (error) {
    failStep(runner, error)
  }
}
