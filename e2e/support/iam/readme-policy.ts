// The IAM policy a scenario runs with, built from README.md itself: the base policy's JSON block with its
// example repository ARN replaced by the scenario's, plus the table rows of the features the scenario uses.
// README without the section, the table or a feature's row fails the scenario (parseReadmeIam, rowsOf throw).
import { parseReadmeIam, readReadme, rowsOf, type ReadmeIam } from '../../../__fixtures__/readme-iam.js'
import { parsePolicy, repositoryArn, type IamPolicy, type IamStatement } from './iam-policy.js'

/** The features README's "add only what you use" table has a row for (the first column). */
export type IamFeature =
  | 'scan gate'
  | 'merge'
  | 'merge discovery'
  | 'promote source'
  | 'promote destination'
  | 'create-repository'
  | 'cache: ecr'
  | 'floating tags'
  | 'tag addition'
  | 'classic-store staging tag'
  | 'signing gate'

export interface RepositoryRef {
  readonly accountId: string
  readonly name: string
}

/** The repositories README's "on" column names, as this scenario has them. */
export interface PolicyScope {
  readonly region: string
  /** "the repository" (the base policy's), also "the destination repository" of a promotion. */
  readonly repository: RepositoryRef
  readonly cacheRepository?: RepositoryRef
  readonly sourceRepository?: RepositoryRef
}

let cached: ReadmeIam | undefined

export function readmeIam(): ReadmeIam {
  cached ??= parseReadmeIam(readReadme())
  return cached
}

function arnOf(region: string, ref: RepositoryRef): string {
  return repositoryArn(region, ref.accountId, ref.name)
}

function resourcesFor(place: string, scope: PolicyScope, feature: string): string[] {
  switch (place) {
    case '*':
      return ['*']
    case 'the repository':
    case 'the destination repository':
      return [arnOf(scope.region, scope.repository)]
    case 'the cache repository':
      return scope.cacheRepository ? [arnOf(scope.region, scope.cacheRepository)] : []
    case 'the source repository':
      if (!scope.sourceRepository) throw new Error(`README's "${feature}" row is on the source repository; the scenario names none`)
      return [arnOf(scope.region, scope.sourceRepository)]
    default:
      throw new Error(`README's "${feature}" row is on "${place}", which the end-to-end suite cannot map to a repository`)
  }
}

/** README's base policy for the scenario's repository, plus each feature's rows. */
export function policyFromReadme(scope: PolicyScope, features: readonly IamFeature[] = []): IamPolicy {
  const iam = readmeIam()
  const repository = arnOf(scope.region, scope.repository)
  const swap = (resource: string): string => (resource === iam.exampleRepositoryArn ? repository : resource)
  const statements: IamStatement[] = iam.base.Statement.map((statement) => ({
    Effect: statement.Effect as 'Allow' | 'Deny',
    Action: statement.Action,
    Resource: typeof statement.Resource === 'string' ? swap(statement.Resource) : statement.Resource.map(swap)
  }))
  for (const feature of features) {
    for (const row of rowsOf(iam, feature)) {
      if (row.actions.length === 0) continue
      const resources = row.on.flatMap((place) => resourcesFor(place, scope, feature))
      if (resources.length) statements.push({ Sid: feature, Effect: 'Allow', Action: row.actions, Resource: resources })
    }
  }
  return parsePolicy({ Version: '2012-10-17', Statement: statements })
}
