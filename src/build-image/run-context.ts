import type { Docker } from '../adapters/docker.js'
import type { Ecr, RegistryCredentials } from '../adapters/ecr.js'
import type { Registry } from '../adapters/registry.js'
import type { Runner } from '../adapters/runner.js'
import type { Inputs } from './inputs.js'
import type { DerivedTags } from '../publish/tags.js'

/** Everything one run works with, resolved before the first network call. */
export interface RunContext {
  readonly inputs: Inputs
  readonly sha: string
  readonly tags: DerivedTags
  readonly sourceUrl: string
  /** GITHUB_RUN_ID, written into the image as a label for the merge's discovery; '' outside GitHub Actions. */
  readonly runId: string
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
