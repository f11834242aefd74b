import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { EOL, tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRunner, escapeData, fileCommandEntry } from '../../src/adapters/runner.js'

// createRunner speaks the runner's protocol itself: workflow commands on stdout, GITHUB_OUTPUT / GITHUB_STATE files.
let dir: string
let written: string[]
let env: NodeJS.ProcessEnv

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ieb-runner-'))
  written = []
  env = {}
  for (const name of ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY']) {
    writeFileSync(join(dir, name), '')
    env[name] = join(dir, name)
  }
})

afterEach(() => {
  process.exitCode = undefined
  jest.restoreAllMocks()
  rmSync(dir, { recursive: true, force: true })
})

const runner = () => createRunner(env, (text) => written.push(text))
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
  it('reads inputs from INPUT_<NAME> (upper-case, spaces as _) and state from STATE_<name>', () => {
    env['INPUT_IF-TAG-EXISTS'] = 'skip'
    env.INPUT_MY_INPUT = 'spaced'
    env.STATE_workDir = '/tmp/work'
    const r = runner()
    expect(r.input('if-tag-exists')).toBe('skip')
    expect(r.input('my input')).toBe('spaced')
    expect(r.input('not-set')).toBe('')
    expect(r.getState('workDir')).toBe('/tmp/work')
    expect(r.getState('missing')).toBe('')
  })

  it('writes outputs and state as heredoc entries the runner reads back exactly, multi-line values included', () => {
    const r = runner()
    r.setOutput('digest', 'sha256:abc')
    r.setOutput('metadata', '{\n  "a": 1\n}')
    r.saveState('workDir', '/tmp/work')
    expect(readFileCommands(file('GITHUB_OUTPUT'))).toEqual({ digest: 'sha256:abc', metadata: '{\n  "a": 1\n}' })
    expect(readFileCommands(file('GITHUB_STATE'))).toEqual({ workDir: '/tmp/work' })
    expect(written).toEqual([])
  })

  it('falls back to set-output / save-state commands without the files', () => {
    const r = createRunner({}, (text) => written.push(text))
    r.setOutput('tag', 'v1')
    r.saveState('isPost', 'true')
    expect(written).toEqual([`::set-output name=tag::v1${EOL}`, `::save-state name=isPost::true${EOL}`])
  })

  it('masks secrets and writes log lines, warnings, errors and failures as workflow commands', () => {
    const r = runner()
    r.setSecret('hunter2')
    r.info('plain line')
    r.warning('careful\nsecond line')
    r.error('broken 100%')
    r.setFailed('failed step')
    expect(written).toEqual([
      `::add-mask::hunter2${EOL}`,
      `plain line${EOL}`,
      `::warning::careful%0Asecond line${EOL}`,
      `::error::broken 100%25${EOL}`,
      `::error::failed step${EOL}`
    ])
    expect(process.exitCode).toBe(1)
  })

  it('groups the work it runs, closing the group even when the work fails', async () => {
    const r = runner()
    await expect(r.group('docker push', async () => 42)).resolves.toBe(42)
    await expect(r.group('docker build', async () => Promise.reject(new Error('x')))).rejects.toThrow('x')
    expect(written).toEqual([`::group::docker push${EOL}`, `::endgroup::${EOL}`, `::group::docker build${EOL}`, `::endgroup::${EOL}`])
  })

  it('appends the job summary when GITHUB_STEP_SUMMARY is set, and skips it otherwise', async () => {
    await runner().writeSummary('### first\n')
    await runner().writeSummary('### second\n')
    expect(file('GITHUB_STEP_SUMMARY')).toBe('### first\n### second\n')
    delete env.GITHUB_STEP_SUMMARY
    await expect(runner().writeSummary('### third\n')).resolves.toBeUndefined()
    expect(file('GITHUB_STEP_SUMMARY')).toBe('### first\n### second\n')
  })

  it('defaults to process.env and process.stdout', () => {
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
    const r = createRunner()
    r.info('to stdout')
    expect(write).toHaveBeenCalledWith(`to stdout${EOL}`)
  })
})

describe('fileCommandEntry and escapeData', () => {
  it('builds a heredoc entry with the given delimiter', () => {
    expect(fileCommandEntry('tag', 'v1', 'EOF_X')).toBe(`tag<<EOF_X${EOL}v1${EOL}EOF_X${EOL}`)
  })

  it('uses a random delimiter by default', () => {
    expect(fileCommandEntry('tag', 'v1')).toMatch(/^tag<<ghadelimiter_[0-9a-f-]{36}\r?\nv1\r?\nghadelimiter_[0-9a-f-]{36}\r?\n$/)
  })

  it('refuses a name or a value that contains the delimiter', () => {
    expect(() => fileCommandEntry('tagDELIM', 'x', 'DELIM')).toThrow('The value of tagDELIM contains the delimiter DELIM.')
    expect(() => fileCommandEntry('tag', 'a DELIM b', 'DELIM')).toThrow('The value of tag contains the delimiter DELIM.')
  })

  it.each([
    ['plain', 'plain'],
    ['50%', '50%25'],
    ['a\nb', 'a%0Ab'],
    ['a\r\nb', 'a%0D%0Ab'],
    ['%0A', '%250A']
  ])('escapeData(%j) = %j', (text, escaped) => {
    expect(escapeData(text)).toBe(escaped)
  })
})
