import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/**
 * README's "IAM policy (least privilege)" section, parsed: the base policy (its JSON block) and the rows of
 * its "add only what you use" table. The unit test holds the code's ECR calls against it and the end-to-end
 * suite runs with it, so README cannot drift from what is tested. Anything missing throws: a test that
 * depends on it then fails, it never skips.
 */

export const IAM_HEADING = 'IAM policy (least privilege)'

export interface IamRow {
  /** The first column, e.g. "scan gate"; several rows may share one feature. */
  readonly feature: string
  /** The actions in backticks, e.g. ecr:StartImageScan; empty for "nothing more". */
  readonly actions: readonly string[]
  /** Where: "the repository", "the cache repository", "the source repository", "the destination repository", "*", … */
  readonly on: readonly string[]
}

export interface ReadmeIam {
  /** The base policy, exactly as README shows it (its example ARN included). */
  readonly base: { readonly Statement: ReadonlyArray<{ Effect: string; Action: string | string[]; Resource: string | string[] }> }
  /** The resource ARN the base policy names for "the repository" (README's example). */
  readonly exampleRepositoryArn: string
  readonly rows: readonly IamRow[]
  /** Every ecr: / inspector2: action the section names anywhere (policy, table, prose). */
  readonly mentioned: ReadonlySet<string>
}

export function readReadme(): string {
  return readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8')
}

export function iamSection(readme: string): string {
  const lines = readme.split('\n')
  const start = lines.findIndex((line) => line.trim() === `## ${IAM_HEADING}`)
  if (start < 0) throw new Error(`README.md has no "## ${IAM_HEADING}" section`)
  const end = lines.findIndex((line, i) => i > start && /^## /.test(line))
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n')
}

const ACTION = /`((?:ecr|inspector2):[A-Za-z0-9]+)`/g

export function parseReadmeIam(readme: string): ReadmeIam {
  const section = iamSection(readme)
  const json = /```json\n([\s\S]*?)\n```/.exec(section)?.[1]
  if (json === undefined) throw new Error(`README's "${IAM_HEADING}" section has no \`\`\`json policy block`)
  const base = JSON.parse(json) as ReadmeIam['base']
  const arns = base.Statement.flatMap((statement) => (typeof statement.Resource === 'string' ? [statement.Resource] : statement.Resource)).filter((resource) =>
    resource.includes(':repository/')
  )
  const exampleRepositoryArn = arns[0]
  if (exampleRepositoryArn === undefined || arns.some((arn) => arn !== exampleRepositoryArn)) {
    throw new Error(`README's base policy must name exactly one repository ARN; it names ${arns.join(', ') || 'none'}`)
  }
  const lines = section.split('\n').map((line) => line.trim())
  const header = lines.findIndex((line) => /^\|\s*feature\s*\|\s*add\s*\|\s*on\s*\|/i.test(line))
  if (header < 0) throw new Error(`README's "${IAM_HEADING}" section has no "| feature | add | on |" table`)
  const rows: IamRow[] = []
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break
    const cells = line
      .replace(/^\||\|$/g, '')
      .split(/(?<!\\)\|/)
      .map((cell) => cell.trim())
    const [feature = '', add = '', on = ''] = cells
    rows.push({
      feature,
      actions: [...add.matchAll(ACTION)].map((match) => match[1] as string),
      on: on
        .split(',')
        .map((place) => place.trim().replace(/^`\*`$/, '*'))
        .filter((place) => place !== '')
    })
  }
  if (rows.length === 0) throw new Error(`README's "${IAM_HEADING}" table has no rows`)
  const mentioned = new Set<string>([...section.matchAll(/(?<![:\w])(?:ecr|inspector2):[A-Z][A-Za-z0-9]+/g)].map((match) => match[0]))
  return { base, exampleRepositoryArn, rows, mentioned }
}

/** The rows of one feature; throws when README has none, so a scenario never runs without its row. */
export function rowsOf(iam: ReadmeIam, feature: string): IamRow[] {
  const rows = iam.rows.filter((row) => row.feature === feature)
  if (rows.length === 0)
    throw new Error(`README's "${IAM_HEADING}" table has no row for "${feature}" (features: ${[...new Set(iam.rows.map((r) => r.feature))].join(', ')})`)
  return rows
}

/** Every action the base policy allows. */
export function baseActions(iam: ReadmeIam): Set<string> {
  return new Set(iam.base.Statement.flatMap((statement) => (typeof statement.Action === 'string' ? [statement.Action] : statement.Action)))
}
