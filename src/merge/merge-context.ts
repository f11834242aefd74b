import type { Ecr, RegistryCredentials } from '../adapters/ecr.js'
import type { Registry } from '../adapters/registry.js'
import type { Runner } from '../adapters/runner.js'
import type { DerivedTags } from '../publish/tags.js'
import type { MergeInputs } from './merge-inputs.js'

/** Everything one merge works with, resolved before the first network call. */
export interface MergeContext {
  readonly inputs: MergeInputs
  readonly sha: string
  readonly tags: DerivedTags
  readonly runner: Runner
  readonly ecr: Ecr
  /** The registry API with the credentials GetAuthorizationToken returned. */
  readonly openRegistry: (credentials: RegistryCredentials) => Promise<Registry>
  /** Discovery takes only images labelled with this workflow run id (require-same-run); undefined: any run. */
  readonly boundRunId: string | undefined
  readonly sleep?: (ms: number) => Promise<void>
}
