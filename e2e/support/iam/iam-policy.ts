// The identity-based policy the test endpoint enforces, evaluated the way IAM documents it for one
// principal with no resource policy, permissions boundary or SCP ("Policy evaluation logic"): an
// explicit Deny wins, then any Allow whose Action and Resource match, else the implicit deny.
// Action and Resource accept IAM's wildcards (* and ?), actions case-insensitively. Conditions,
// NotAction and NotResource are not modelled: a statement that uses them is refused when parsed.

export interface IamStatement {
  readonly Sid?: string
  readonly Effect: 'Allow' | 'Deny'
  readonly Action: string | readonly string[]
  readonly Resource: string | readonly string[]
}

export interface IamPolicy {
  readonly Version?: string
  readonly Statement: readonly IamStatement[]
}

/** Checks a policy's shape (as IAM would refuse a malformed one), so a test cannot run with a policy that means nothing. */
export function parsePolicy(value: unknown): IamPolicy {
  if (typeof value !== 'object' || value === null || !Array.isArray((value as { Statement?: unknown }).Statement)) {
    throw new Error('an IAM policy is an object with a Statement array')
  }
  const statements = (value as { Statement: unknown[] }).Statement
  for (const statement of statements) {
    const s = statement as Record<string, unknown>
    if (s['Effect'] !== 'Allow' && s['Effect'] !== 'Deny') throw new Error(`statement ${JSON.stringify(s)}: Effect must be Allow or Deny`)
    for (const key of ['Action', 'Resource']) {
      const field = s[key]
      if (typeof field !== 'string' && !(Array.isArray(field) && field.every((item) => typeof item === 'string'))) {
        throw new Error(`statement ${JSON.stringify(s)}: ${key} must be a string or a list of strings`)
      }
    }
    for (const key of ['NotAction', 'NotResource', 'Condition', 'Principal']) {
      if (key in s) throw new Error(`statement ${JSON.stringify(s)}: ${key} is not modelled by the test endpoint`)
    }
  }
  return value as IamPolicy
}

function list(value: string | readonly string[]): readonly string[] {
  return typeof value === 'string' ? [value] : value
}

function wildcard(pattern: string, flags = ''): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.')
  return new RegExp(`^${body}$`, flags)
}

function matches(statement: IamStatement, action: string, resource: string): boolean {
  return list(statement.Action).some((a) => wildcard(a, 'i').test(action)) && list(statement.Resource).some((r) => wildcard(r).test(resource))
}

/** Whether the policy allows the action (e.g. ecr:PutImage) on the resource ARN ('*' for an action without a resource type). */
export function isAllowed(policy: IamPolicy, action: string, resource: string): boolean {
  if (policy.Statement.some((s) => s.Effect === 'Deny' && matches(s, action, resource))) return false
  return policy.Statement.some((s) => s.Effect === 'Allow' && matches(s, action, resource))
}

export function repositoryArn(region: string, accountId: string, repository: string): string {
  return `arn:aws:ecr:${region}:${accountId}:repository/${repository}`
}
