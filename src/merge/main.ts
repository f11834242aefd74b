import { createEcr } from '../adapters/ecr.js'
import { readGitHubContext, type GitHubContext } from '../adapters/github-context.js'
import { createRegistry } from '../adapters/registry.js'
import { createRunner, type Runner } from '../adapters/runner.js'
import { openEcr, registryOpener } from '../publish/clients.js'
import { assertFloatingApart } from '../publish/floating-tags.js'
import { actionOutputs, refusedSummary, summaryMarkdown } from '../publish/report.js'
import { reportPublished, runStep } from '../publish/run-step.js'
import { deriveTags } from '../publish/tags.js'
import { resolveCommitSha } from '../shared/commit.js'
import { mergeImages } from './merge.js'
import { discoveryRunBinding, parseMergeInputs } from './merge-inputs.js'

export { MERGE_INPUTS, MERGE_ONLY_DEFAULTS } from './merge-inputs.js'

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

/** The merge step: inputs, then the merge; runStep turns anything thrown into the step's failure. */
export async function run(adapters: MergeAdapters = defaultMergeAdapters()): Promise<void> {
  const { runner, env } = adapters
  await runStep(
    runner,
    async () => {
      const inputs = parseMergeInputs((name) => runner.input(name), env)
      const github = await adapters.github()
      const boundRunId = discoveryRunBinding(inputs.claims, inputs.requireSameRun, github.runId)
      const sha = resolveCommitSha(inputs.sha, github)
      const tags = deriveTags({ sha, tagPrefix: inputs.tagPrefix, shaLength: inputs.shaLength, extraTags: inputs.extraTags })
      assertFloatingApart(inputs.floatingTags, tags.all)
      const what =
        inputs.claims === 'discover'
          ? `finding ${inputs.platforms.join(', ')} in ${inputs.repository}${boundRunId ? ` uploaded by this workflow run (${boundRunId})` : ''}`
          : `merging ${inputs.claims.length} digest(s)`
      runner.info(`Commit ${sha}; ${what}; tags: ${tags.all.join(', ')}.`)
      const ecr = openEcr(adapters, env, { region: inputs.awsRegion, registryId: inputs.registryId })
      const outcome = await mergeImages({
        inputs,
        sha,
        tags,
        runner,
        ecr,
        boundRunId,
        openRegistry: registryOpener(adapters, env),
        ...(adapters.sleep ? { sleep: adapters.sleep } : {})
      })
      const outputs = actionOutputs(outcome)
      await reportPublished(runner, {
        outputs: Object.fromEntries(MERGE_OUTPUTS.map((name) => [name, outputs[name] ?? ''])),
        named: outcome,
        // Floating tags move last, after every immutable tag is proven, as in the build action.
        floating: {
          target: { ecr, registryHost: outcome.registryHost, repository: outcome.repository, anyMutable: false, runner, sleep: adapters.sleep },
          tags: inputs.floatingTags
        },
        imageLine: `Image: ${outcome.registryHost}/${outcome.repository}@${outcome.digest}`,
        summary: summaryMarkdown(outcome)
      })
    },
    { refusedSummary }
  )
}
