import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { baseActions, parseReadmeIam, readReadme, rowsOf } from '../../__fixtures__/readme-iam.js'
import { REGISTRY_REQUEST_ACTIONS } from '../../src/shared/registry-permissions.js'

const SRC = fileURLToPath(new URL('../../src', import.meta.url))

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []
  )
}

/** Every ECR API operation the code can call: each `new XxxCommand(` and `paginateXxx(` of @aws-sdk/client-ecr in src/. */
function ecrOperationsInCode(): Set<string> {
  const operations = new Set<string>()
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8')
    if (!text.includes('@aws-sdk/client-ecr')) continue
    for (const match of text.matchAll(/\bnew ([A-Z][A-Za-z]+)Command\(/g)) operations.add(`ecr:${match[1]}`)
    for (const match of text.matchAll(/\bpaginate([A-Z][A-Za-z]+)\(/g)) operations.add(`ecr:${match[1]}`)
  }
  return operations
}

const registryActions = new Set(Object.values(REGISTRY_REQUEST_ACTIONS).flat())
const readme = readReadme()

describe("README's IAM section", () => {
  const iam = parseReadmeIam(readme)
  const granted = new Set([...baseActions(iam), ...iam.rows.flatMap((row) => row.actions)])

  it('finds ECR operations in the code (the derivation itself works)', () => {
    expect([...ecrOperationsInCode()].sort()).toEqual(
      expect.arrayContaining(['ecr:BatchGetImage', 'ecr:DescribeImages', 'ecr:GetAuthorizationToken', 'ecr:PutImage', 'ecr:StartImageScan'])
    )
  })

  it.each([...ecrOperationsInCode()].sort())('grants %s, an ECR operation the code calls', (operation) => {
    expect(granted).toContain(operation)
  })

  it.each(Object.entries(REGISTRY_REQUEST_ACTIONS))('grants what a registry request of kind %s needs: %j', (_kind, actions) => {
    for (const action of actions) expect(granted).toContain(action)
  })

  it('base policy: login, the repository look-up, the tag reads and writes, and every registry request of a push and its reads', () => {
    expect([...baseActions(iam)].sort()).toEqual(
      [...new Set(['ecr:GetAuthorizationToken', 'ecr:DescribeRepositories', 'ecr:BatchGetImage', 'ecr:PutImage', ...registryActions])].sort()
    )
    const login = iam.base.Statement.find(
      (statement) => statement.Action === 'ecr:GetAuthorizationToken' || statement.Action.includes('ecr:GetAuthorizationToken')
    )
    expect(login?.Resource).toBe('*')
  })

  it('names no ECR action the code never needs', () => {
    const needed = new Set([...ecrOperationsInCode(), ...registryActions])
    const ecrMentioned = [...iam.mentioned].filter((action) => action.startsWith('ecr:'))
    expect(ecrMentioned.filter((action) => !needed.has(action))).toEqual([])
  })

  it.each([
    [
      'scan gate',
      ['ecr:DescribeImageScanFindings', 'ecr:StartImageScan', 'ecr:GetRegistryScanningConfiguration', 'inspector2:ListFindings', 'inspector2:ListCoverage']
    ],
    ['merge', []],
    ['merge discovery', ['ecr:DescribeImages']],
    ['promote source', ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer']],
    ['promote destination', []],
    ['create-repository', ['ecr:CreateRepository']],
    ['cache: ecr', [...registryActions, 'ecr:DescribeRepositories', 'ecr:BatchGetImage', 'ecr:PutImage']],
    ['floating tags', []],
    ['tag addition', []],
    ['classic-store staging tag', ['ecr:BatchDeleteImage']]
  ])('has the row(s) of %s, adding %j', (feature, actions) => {
    const rows = rowsOf(iam, feature)
    expect([...new Set(rows.flatMap((row) => row.actions))].sort()).toEqual([...new Set(actions)].sort())
  })

  it('account-level actions are on *, repository actions on a repository', () => {
    for (const row of iam.rows) {
      const accountLevel = row.actions.filter(
        (action) => action === 'ecr:GetRegistryScanningConfiguration' || action === 'ecr:GetSigningConfiguration' || action.startsWith('inspector2:')
      )
      if (accountLevel.length) expect(row.on).toEqual(['*'])
      else if (row.actions.length) expect(row.on.every((place) => place !== '*')).toBe(true)
    }
  })

  it('says why the base policy reads blobs (ecr:GetDownloadUrlForLayer): the revision label and the platform are in the config', () => {
    expect(readme).toMatch(/`ecr:GetDownloadUrlForLayer` \(reading a blob\) is in the base policy because[^]*revision label[^]*platform/)
  })

  it('is the only place with an IAM action list: the scan-gate and promote sections point to it', () => {
    const outside = readme.replace(/## IAM policy \(least privilege\)[^]*?(?=\n## )/, '')
    expect(outside).not.toMatch(/Extra IAM actions for the gate/)
    expect(outside).not.toMatch(/"Sid": "CopyTagAndVerify"/)
  })
})

describe('the parser fails, never skips, when README lacks the section or the table', () => {
  it.each([
    ['no section', readme.replace('## IAM policy (least privilege)', '## Permissions'), /no "## IAM policy \(least privilege\)" section/],
    ['no table', readme.replace('| feature | add | on | why |', '| what | add | on | why |'), /no "\| feature \| add \| on \|" table/],
    ['no policy block', readme.replace(/(## IAM policy \(least privilege\)[^]*?)```json/, '$1```'), /no ```json policy block/]
  ])('%s: throws', (_case, text, message) => {
    expect(() => parseReadmeIam(text)).toThrow(message)
  })

  it('a feature without a row throws', () => {
    expect(() => rowsOf(parseReadmeIam(readme), 'no such feature')).toThrow(/no row for "no such feature"/)
  })
})
