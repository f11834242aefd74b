import { readmeTable } from '../../__fixtures__/readme.js'
import { describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { INPUT_DEFAULTS, parseInputs } from '../../src/build-image/inputs.js'
import { actionOutputs } from '../../src/publish/report.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

interface ActionYml {
  inputs: Record<string, { description?: string; required?: boolean; default?: string }>
  outputs: Record<string, { description?: string }>
  runs: { using: string; main: string; post?: string; 'post-if'?: string }
}

const action = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as ActionYml

/** Every input name parseInputs asks the runner for, with valid values so it reads them all. */
function inputsReadBySource(): string[] {
  const read: string[] = []
  parseInputs(
    (name) => {
      read.push(name)
      return name === 'repository' ? 'team/api' : ''
    },
    { AWS_REGION: 'us-east-1' }
  )
  return [...new Set(read)].sort()
}

describe('action.yml', () => {
  it('declares exactly the inputs src/build-image/inputs.ts reads', () => {
    expect(Object.keys(action.inputs).sort()).toEqual(inputsReadBySource())
  })

  it('INPUT_DEFAULTS equal action.yml’s defaults, and every non-empty default is in INPUT_DEFAULTS', () => {
    for (const [name, value] of Object.entries(INPUT_DEFAULTS)) {
      expect([name, action.inputs[name]?.default]).toEqual([name, value])
    }
    const nonEmpty = Object.entries(action.inputs)
      .filter(([, input]) => input.default !== undefined && input.default !== '')
      .map(([name]) => name)
      .sort()
    expect(nonEmpty).toEqual(Object.keys(INPUT_DEFAULTS).sort())
  })

  it('defaults are strings (the runner hands inputs over as strings) and only repository is required', () => {
    for (const [name, input] of Object.entries(action.inputs)) {
      if (input.default !== undefined) expect([name, typeof input.default]).toEqual([name, 'string'])
      expect(typeof input.description).toBe('string')
    }
    expect(
      Object.entries(action.inputs)
        .filter(([, input]) => input.required === true)
        .map(([name]) => name)
    ).toEqual(['repository'])
  })

  it('declares exactly the outputs actionOutputs sets', () => {
    const outputs = actionOutputs({
      result: 'pushed',
      registryHost: 'h',
      repository: 'r',
      shaTag: 't',
      tags: ['t'],
      digest: 'd',
      platformDigests: {},
      metadata: '',
      buildSeconds: 1
    })
    expect(Object.keys(action.outputs).sort()).toEqual(Object.keys(outputs).sort())
  })

  it('runs on node24 with main and post both in dist/build/index.js', () => {
    expect(action.runs.using).toBe('node24')
    expect(action.runs.main).toBe('dist/build/index.js')
    expect(action.runs.post).toBe('dist/build/index.js')
  })
})

const readmePath = join(root, 'README.md')
const readme = existsSync(readmePath) ? readFileSync(readmePath, 'utf8') : ''
const inputsTable = readmeTable(readme, 'Inputs')
const outputsTable = readmeTable(readme, 'Outputs')

describe('README.md', () => {
  // Missing tables fail here, never skip: README is what users read, and these tests hold it to action.yml.
  it('has "## Inputs" and "## Outputs" tables with "| `name` |" rows', () => {
    expect(existsSync(readmePath)).toBe(true)
    expect(inputsTable?.rows.size ?? 0).toBeGreaterThan(0)
    expect(outputsTable?.rows.size ?? 0).toBeGreaterThan(0)
  })
  const inputs = inputsTable ?? { columns: [], rows: new Map<string, string[]>() }
  const outputs = outputsTable ?? { columns: [], rows: new Map<string, string[]>() }

  it('lists exactly the inputs of action.yml', () => {
    expect([...inputs.rows.keys()].sort()).toEqual(Object.keys(action.inputs).sort())
  })

  it('lists exactly the outputs of action.yml', () => {
    expect([...outputs.rows.keys()].sort()).toEqual(Object.keys(action.outputs).sort())
  })

  it('states every non-empty default exactly as action.yml, and required inputs as required', () => {
    const column = inputs.columns.indexOf('default')
    expect(column).toBeGreaterThan(0)
    for (const [name, input] of Object.entries(action.inputs)) {
      const cell = inputs.rows.get(name)?.[column] ?? ''
      if (input.required) expect([name, cell]).toEqual([name, 'required'])
      else if (input.default) expect([name, cell]).toEqual([name, `\`${input.default}\``])
      else expect([name, cell.toLowerCase()]).not.toEqual([name, 'required'])
    }
  })
})
