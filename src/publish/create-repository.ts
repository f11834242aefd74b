import type { Ecr } from '../adapters/ecr.js'
import type { Runner } from '../adapters/runner.js'
import type { RepositoryInfo } from '../shared/tag-policy.js'

/**
 * create-repository: true, in the build and the promote action alike. A concurrent run that created the
 * repository first wins: its repository is used, and only a failure that left no repository is thrown.
 */
export async function createImmutableRepository(ecr: Ecr, runner: Runner, repository: string): Promise<RepositoryInfo> {
  runner.info(`Creating repository ${repository} with IMMUTABLE tags and scan-on-push (create-repository: true).`)
  try {
    return await ecr.createRepository(repository, 'IMMUTABLE')
  } catch (error) {
    const again = await ecr.describeRepository(repository)
    if ('absent' in again) throw error
    return again
  }
}
