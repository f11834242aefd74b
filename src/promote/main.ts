import { createEcr, type RegistryCredentials } from '../adapters/ecr.js'
import { createRegistry, type Registry } from '../adapters/registry.js'
import { createRunner, type Runner } from '../adapters/runner.js'
import { UserError, errorMessage, oneLine } from '../errors.js'
import { proxyFor } from '../proxy.js'
import { parsePromoteInputs } from './promote-inputs.js'
import { promoteOutputs, promoteSummary } from './promote-report.js'
import { promoteImage } from './promotion.js'

export interface PromoteAdapters {
  readonly runner: Runner
  readonly env: NodeJS.ProcessEnv
  readonly createEcr: typeof createEcr
  readonly createRegistry: typeof createRegistry
}

export function defaultPromoteAdapters(): PromoteAdapters {
  return { runner: createRunner(), env: process.env, createEcr, createRegistry }
}

/** The promote step. The one place where anything thrown becomes the step's failure. */
export async function runPromote(adapters: PromoteAdapters = defaultPromoteAdapters()): Promise<void> {
  const { runner, env } = adapters
  try {
    // Every input is checked before the first network call.
    const inputs = parsePromoteInputs((name) => runner.input(name), env)
    const common = { mask: (secret: string) => runner.setSecret(secret), env, log: (message: string) => runner.info(message) }
    const ecr = adapters.createEcr({ region: inputs.awsRegion, registryId: inputs.registryId, ...common })
    const sameRegistry = (inputs.sourceRegistryId ?? '') === (inputs.registryId ?? '') && inputs.sourceRegion === inputs.awsRegion
    const sourceEcr = sameRegistry ? ecr : adapters.createEcr({ region: inputs.sourceRegion, registryId: inputs.sourceRegistryId, ...common })
    const source = `${inputs.sourceRepository}@${inputs.digest}`
    runner.info(
      `Promoting ${source} to ${inputs.repository}; tags: ${inputs.tags.join(', ')}${inputs.floatingTags.length ? `; floating: ${inputs.floatingTags.join(', ')}` : ''}.`
    )
    const outcome = await promoteImage({ inputs, sourceEcr, ecr, runner, openRegistry: registryOpener(adapters, env) })
    for (const [name, value] of Object.entries(promoteOutputs(outcome))) runner.setOutput(name, value)
    runner.info(`Image: ${outcome.registryHost}/${outcome.repository}@${outcome.digest}`)
    try {
      await runner.writeSummary(promoteSummary(outcome, inputs.sourceRepository))
    } catch (error) {
      runner.warning(`Could not write the job summary: ${errorMessage(error)}`)
    }
  } catch (error) {
    if (!(error instanceof UserError) && error instanceof Error && error.stack) runner.info(error.stack)
    runner.setFailed(oneLine(errorMessage(error), Number.POSITIVE_INFINITY))
  }
}

/** One registry client per registry host: the source and the destination may be different registries. */
function registryOpener(adapters: PromoteAdapters, env: NodeJS.ProcessEnv): (credentials: RegistryCredentials) => Promise<Registry> {
  const opened = new Map<string, Promise<Registry>>()
  return (credentials) => {
    let registry = opened.get(credentials.endpoint)
    if (!registry) {
      registry = adapters.createRegistry({
        endpoint: credentials.endpoint,
        username: credentials.username,
        password: credentials.password,
        proxy: proxyFor(env, credentials.endpoint)
      })
      opened.set(credentials.endpoint, registry)
    }
    return registry
  }
}
