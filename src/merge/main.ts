import { createEcr } from '../adapters/ecr.js'
import { readGitHubContext, type GitHubContext } from '../adapters/github-context.js'
import { createRegistry } from '../adapters/registry.js'
import { createRunner, type Runner } from '../adapters/runner.js'
import { resolveCommitSha } from '../commit.js'
import { UserError } from '../errors.js'
import { applyFloatingTags, assertFloatingApart } from '../floating-tags.js'
import { parseInputs } from '../inputs.js'
import { openEcr, registryOpener } from '../clients.js'
import { failStep, writeSummary } from '../step-end.js'
import { mergeImages } from './merge.js'
import { parseDigestsInput, type Claim } from './merge-plan.js'
import { actionOutputs, summaryMarkdown } from '../report.js'
import { RefusedError } from '../run-context.js'
import { deriveTags } from '../tags.js'

/** The inputs merge/action.yml declares; every other input of the main action reads as its default. */
export const MERGE_INPUTS = [
  'repository',
  'registry-id',
  'aws-region',
  'digests',
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
  /** The workflow's event, from @actions/github. */
  readonly github: () => Promise<GitHubContext>
}

export function defaultMergeAdapters(): MergeAdapters {
  return { runner: createRunner(), env: process.env, createEcr, createRegistry, github: readGitHubContext }
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
    const sha = resolveCommitSha(inputs.sha, await adapters.github())
    const tags = deriveTags({ sha, tagPrefix: inputs.tagPrefix, shaLength: inputs.shaLength, extraTags: inputs.extraTags })
    assertFloatingApart(inputs.floatingTags, tags.all)
    const what = claims === 'discover' ? `finding ${inputs.platforms.join(', ')} in ${inputs.repository}` : `merging ${claims.length} digest(s)`
    runner.info(`Commit ${sha}; ${what}; tags: ${tags.all.join(', ')}.`)
    const ecr = openEcr(adapters, env, { region: inputs.awsRegion, registryId: inputs.registryId })
    try {
      const outcome = await mergeImages({ inputs, sha, tags, runner, ecr, claims, openRegistry: registryOpener(adapters, env) })
      // Floating tags move last, after every immutable tag is proven, as in the build action.
      await applyFloatingTags({ inputs, ecr, runner }, outcome.digest)
      const outputs = actionOutputs(outcome)
      for (const name of MERGE_OUTPUTS) runner.setOutput(name, outputs[name] ?? '')
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
