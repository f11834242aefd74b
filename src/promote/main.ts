import { createEcr } from '../adapters/ecr.js'
import { openEcr, registryOpener } from '../publish/clients.js'
import { createRegistry } from '../adapters/registry.js'
import { createRunner, type Runner } from '../adapters/runner.js'
import { parsePromoteInputs } from './promote-inputs.js'
import { promoteOutputs, promoteSummary } from './promote-report.js'
import { promoteImage } from './promotion.js'
import { reportPublished, runStep } from '../publish/run-step.js'

/** promote/action.yml has no `tags` output: a failure after tags still sets these two. */
const PROMOTE_WRITTEN_OUTPUTS = ['digest', 'image'] as const

export interface PromoteAdapters {
  readonly runner: Runner
  readonly env: NodeJS.ProcessEnv
  readonly createEcr: typeof createEcr
  readonly createRegistry: typeof createRegistry
  readonly sleep?: (ms: number) => Promise<void>
}

export function defaultPromoteAdapters(): PromoteAdapters {
  return { runner: createRunner(), env: process.env, createEcr, createRegistry }
}

/** The promote step: inputs, then the promotion; runStep turns anything thrown into the step's failure. */
export async function run(adapters: PromoteAdapters = defaultPromoteAdapters()): Promise<void> {
  const { runner, env } = adapters
  await runStep(
    runner,
    async () => {
      // Every input is checked before the first network call.
      const inputs = parsePromoteInputs((name) => runner.input(name), env)
      const ecr = openEcr(adapters, env, { region: inputs.awsRegion, registryId: inputs.registryId })
      const sameRegistry = (inputs.sourceRegistryId ?? '') === (inputs.registryId ?? '') && inputs.sourceRegion === inputs.awsRegion
      const sourceEcr = sameRegistry ? ecr : openEcr(adapters, env, { region: inputs.sourceRegion, registryId: inputs.sourceRegistryId })
      const source = `${inputs.sourceRepository}@${inputs.digest}`
      runner.info(
        `Promoting ${source} to ${inputs.repository}; tags: ${inputs.tags.join(', ')}${inputs.floatingTags.length ? `; floating: ${inputs.floatingTags.join(', ')}` : ''}.`
      )
      const outcome = await promoteImage({
        inputs,
        sourceEcr,
        ecr,
        runner,
        openRegistry: registryOpener(adapters, env),
        ...(adapters.sleep ? { sleep: adapters.sleep } : {})
      })
      await reportPublished(runner, {
        outputs: promoteOutputs(outcome),
        named: outcome,
        // Floating tags move last, after every immutable tag is proven; the outputs already name the image.
        floating: {
          target: { ecr, registryHost: outcome.registryHost, repository: outcome.repository, anyMutable: false, runner, sleep: adapters.sleep },
          tags: inputs.floatingTags
        },
        imageLine: `Image: ${outcome.registryHost}/${outcome.repository}@${outcome.digest}`,
        summary: promoteSummary(outcome, inputs.sourceRepository)
      })
    },
    { writtenOutputs: PROMOTE_WRITTEN_OUTPUTS }
  )
}
