import { UserError } from './errors.js'
import type { Docker } from './adapters/docker.js'
import type { Ecr, RegistryCredentials } from './adapters/ecr.js'
import type { Registry } from './adapters/registry.js'
import type { Runner } from './adapters/runner.js'
import type { Inputs } from './inputs.js'
import type { DerivedTags } from './tags.js'

/** Everything one run works with, resolved before the first network call. */
export interface RunContext {
  readonly inputs: Inputs
  readonly sha: string
  readonly tags: DerivedTags
  readonly sourceUrl: string
  readonly workDir: string
  readonly runner: Runner
  readonly ecr: Ecr
  readonly docker: Docker
  /** The registry API (uploads by digest) with the credentials GetAuthorizationToken returned. */
  readonly openRegistry: (credentials: RegistryCredentials) => Promise<Registry>
  readonly env: NodeJS.ProcessEnv
  readonly now: () => Date
  /** Waits; injectable so tests of the MUTABLE settle wait do not wait. Default: a real timer. */
  readonly sleep?: (ms: number) => Promise<void>
}

export type Result = 'pushed' | 'reused' | 'built' | 'refused' | 'uploaded'

export interface Outcome {
  readonly result: Result
  readonly registryHost: string
  readonly repository: string
  readonly shaTag: string
  readonly tags: readonly string[]
  /** The digest every tag points to; empty when nothing was pushed (push: false). */
  readonly digest: string
  /** Runnable image per platform (`linux/amd64` → digest), attestations left out; empty when nothing was pushed. */
  readonly platformDigests: Readonly<Record<string, string>>
  /** buildx's metadata JSON, empty when nothing was built. */
  readonly metadata: string
  readonly buildSeconds: number | undefined
  readonly note: string | undefined
  /** Tags this run wrote onto an image that was already stored (tag addition, floating tags); none when absent. */
  readonly tagsAdded?: readonly string[]
}

/** What is known of a run once the registry has been asked: enough to report a refusal. */
export type OutcomeBase = Pick<Outcome, 'registryHost' | 'repository' | 'shaTag' | 'tags'>

/** The run refused to touch a tag; main still writes the summary before failing the step. */
export class RefusedError extends UserError {
  constructor(
    message: string,
    readonly outcome: OutcomeBase | undefined
  ) {
    super(message)
  }
}
