import { describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { readmeTable } from '../../__fixtures__/readme.js'
import { parsePromoteInputs, PROMOTE_INPUT_DEFAULTS } from '../../src/promote/promote-inputs.js'
import { promoteOutputs } from '../../src/promote/promote-report.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const action = parse(readFileSync(join(root, 'promote', 'action.yml'), 'utf8')) as {
  inputs: Record<string, { required?: boolean; default?: string }>
  outputs: Record<string, unknown>
  runs: { using: string; main: string }
}
const readme = readFileSync(join(root, 'promote', 'README.md'), 'utf8')

describe('promote/action.yml', () => {
  it('declares exactly the inputs parsePromoteInputs reads', () => {
    const read = new Set<string>()
    const valid: Record<string, string> = { 'source-repository': 'a/b', repository: 'a/c', digest: `sha256:${'0'.repeat(64)}`, tags: 'v1' }
    parsePromoteInputs((name) => (read.add(name), valid[name] ?? ''), { AWS_REGION: 'us-east-1' })
    expect([...read].sort()).toEqual(Object.keys(action.inputs).sort())
  })

  it('defaults equal PROMOTE_INPUT_DEFAULTS', () => {
    const declared = Object.fromEntries(
      Object.entries(action.inputs)
        .filter(([, input]) => input.default)
        .map(([name, input]) => [name, input.default])
    )
    expect(declared).toEqual(PROMOTE_INPUT_DEFAULTS)
  })

  it('declares exactly the outputs promoteOutputs sets', () => {
    const outputs = promoteOutputs({
      registryHost: 'h',
      repository: 'r',
      digest: 'd',
      tags: [],
      tagsAdded: [],
      platformDigests: {},
      pushed: false,
      transfer: undefined,
      referrers: []
    })
    expect(Object.keys(outputs).sort()).toEqual(Object.keys(action.outputs).sort())
  })

  it("promote/README.md's tables list exactly its inputs and outputs, defaults as declared", () => {
    // A missing table is an empty list, so this fails, never skips.
    const inputs = readmeTable(readme, 'Inputs')
    const outputs = readmeTable(readme, 'Outputs')
    expect([...(inputs?.rows.keys() ?? [])].sort()).toEqual(Object.keys(action.inputs).sort())
    expect([...(outputs?.rows.keys() ?? [])].sort()).toEqual(Object.keys(action.outputs).sort())
    const column = inputs?.columns.indexOf('default') ?? -1
    expect(column).toBeGreaterThan(0)
    for (const [name, input] of Object.entries(action.inputs)) {
      const cell = inputs?.rows.get(name)?.[column] ?? ''
      if (input.required) expect([name, cell]).toEqual([name, 'required'])
      else if (input.default) expect([name, cell]).toEqual([name, `\`${input.default}\``])
    }
  })

  it('runs dist/promote/index.js on node24 (main is resolved from promote/, as the runner does)', () => {
    expect(action.runs).toEqual({ using: 'node24', main: '../dist/promote/index.js' })
    expect(existsSync(join(root, 'promote', action.runs.main))).toBe(true)
  })
})
