import { afterAll, afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { EOL, tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRunner } from '../../src/adapters/runner.js'

// The adapter through @actions/core, checked at the runner's side of the protocol: what lands on
// stdout and in the GITHUB_OUTPUT / GITHUB_STATE / GITHUB_STEP_SUMMARY files.
const FILES = ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY'] as const
const TOUCHED = [...FILES, 'INPUT_IF-TAG-EXISTS', 'INPUT_MY_INPUT', 'INPUT_SECRETS', 'STATE_workDir', 'RUNNER_DEBUG']
// One folder for the whole file: core.summary keeps the first GITHUB_STEP_SUMMARY path it resolves.
const dir = mkdtempSync(join(tmpdir(), 'ieb-runner-'))
let saved: Record<string, string | undefined>
let written: string[]

beforeEach(() => {
  saved = Object.fromEntries(TOUCHED.map((name) => [name, process.env[name]]))
  for (const name of TOUCHED) delete process.env[name]
  for (const name of FILES) {
    rmSync(join(dir, name), { recursive: true, force: true })
    writeFileSync(join(dir, name), '')
    process.env[name] = join(dir, name)
  }
  written = []
  jest.spyOn(process.stdout, 'write').mockImplementation((text: string | Uint8Array) => {
    written.push(String(text))
    return true
  })
})

afterEach(() => {
  process.exitCode = undefined
  jest.restoreAllMocks()
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const file = (name: string): string => readFileSync(join(dir, name), 'utf8')

/** Parses name<<delimiter entries back, as the runner does. */
function readFileCommands(text: string): Record<string, string> {
  const entries: Record<string, string> = {}
  const lines = text.split(EOL)
  for (let i = 0; i < lines.length; i++) {
    const match = /^(.+?)<<(.+)$/.exec(lines[i] as string)
    if (!match) continue
    const [, name, delimiter] = match as unknown as [string, string, string]
    const value: string[] = []
    for (i++; lines[i] !== delimiter; i++) value.push(lines[i] as string)
    entries[name] = value.join(EOL)
  }
  return entries
}

describe('createRunner', () => {
  it('reads inputs from INPUT_<NAME> (upper-case, spaces as _) untrimmed, and state from STATE_<name>', () => {
    process.env['INPUT_IF-TAG-EXISTS'] = 'skip'
    process.env.INPUT_MY_INPUT = 'spaced'
    process.env.INPUT_SECRETS = 'TOKEN= value with spaces \n'
    process.env.STATE_workDir = '/tmp/work'
    const r = createRunner()
    expect(r.input('if-tag-exists')).toBe('skip')
    expect(r.input('my input')).toBe('spaced')
    expect(r.input('secrets')).toBe('TOKEN= value with spaces \n')
    expect(r.input('not-set')).toBe('')
    expect(r.getState('workDir')).toBe('/tmp/work')
    expect(r.getState('missing')).toBe('')
  })

  it('writes outputs and state as file commands the runner reads back exactly, multi-line values included', () => {
    const r = createRunner()
    r.setOutput('digest', 'sha256:abc')
    r.setOutput('metadata', '{\n  "a": 1\n}')
    r.saveState('workDir', '/tmp/work')
    expect(readFileCommands(file('GITHUB_OUTPUT'))).toEqual({ digest: 'sha256:abc', metadata: '{\n  "a": 1\n}' })
    expect(readFileCommands(file('GITHUB_STATE'))).toEqual({ workDir: '/tmp/work' })
    expect(written).toEqual([])
  })

  it('masks secrets and writes log lines, warnings and failures as escaped workflow commands', () => {
    const r = createRunner()
    r.setSecret('hunter2')
    r.info('plain line')
    r.warning('careful\nsecond line')
    r.setFailed('failed 100%')
    expect(written).toEqual([`::add-mask::hunter2${EOL}`, `plain line${EOL}`, `::warning::careful%0Asecond line${EOL}`, `::error::failed 100%25${EOL}`])
    expect(process.exitCode).toBe(1)
  })

  it('sends debug lines as ::debug:: commands, which the runner shows only with step debug logging', () => {
    createRunner().debug('TypeError: x\n    at f (index.js:1:1)')
    expect(written).toEqual([`::debug::TypeError: x%0A    at f (index.js:1:1)${EOL}`])
  })

  it('groups the work it runs, closing the group even when the work fails', async () => {
    const r = createRunner()
    await expect(r.group('docker push', () => Promise.resolve(42))).resolves.toBe(42)
    await expect(r.group('docker build', () => Promise.reject(new Error('x')))).rejects.toThrow('x')
    expect(written).toEqual([`::group::docker push${EOL}`, `::endgroup::${EOL}`, `::group::docker build${EOL}`, `::endgroup::${EOL}`])
  })

  it('appends the job summary when GITHUB_STEP_SUMMARY is set, and skips it otherwise', async () => {
    await createRunner().writeSummary('### first\n')
    await createRunner().writeSummary('### second\n')
    expect(file('GITHUB_STEP_SUMMARY')).toBe('### first\n### second\n')
    delete process.env.GITHUB_STEP_SUMMARY
    await expect(createRunner().writeSummary('### third\n')).resolves.toBeUndefined()
    expect(file('GITHUB_STEP_SUMMARY')).toBe('### first\n### second\n')
  })

  it('a summary that failed to be written is not written again with the next one', async () => {
    const summary = join(dir, 'GITHUB_STEP_SUMMARY')
    rmSync(summary)
    mkdirSync(summary) // a folder where the file should be: the append fails, even for root
    await expect(createRunner().writeSummary('### lost\n')).rejects.toThrow('EISDIR')
    rmSync(summary, { recursive: true })
    writeFileSync(summary, '')
    await createRunner().writeSummary('### kept\n')
    expect(file('GITHUB_STEP_SUMMARY')).toBe('### kept\n')
  })
})
