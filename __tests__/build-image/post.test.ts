import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { post } from '../../src/build-image/post.js'
import { STATE } from '../../src/build-image/state.js'
import { FakeRunner } from '../../__fixtures__/fake-runner.js'

let root: string
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'ieb-post-'))
})
afterEach(() => {
  jest.restoreAllMocks()
  rmSync(root, { recursive: true, force: true })
})

describe('post', () => {
  it('removes the work folder named in state, with the private docker config in it', () => {
    const workDir = join(root, 'immutable-ecr-build-0123456789ab')
    mkdirSync(join(workDir, 'docker-config'), { recursive: true })
    writeFileSync(join(workDir, 'docker-config', 'config.json'), '{"auths":{"host":{"auth":"secret"}}}')
    writeFileSync(join(workDir, 'metadata.json'), '{}')
    const runner = new FakeRunner({}, { [STATE.workDir]: workDir })
    post(runner)
    expect(existsSync(workDir)).toBe(false)
    expect(existsSync(root)).toBe(true)
    expect(runner.messages('info')).toEqual([`Removed ${workDir} (the private docker config with the ECR login).`])
    expect(runner.messages('warning')).toEqual([])
    expect(runner.failures).toEqual([])
  })

  it('a work folder without a docker config (main failed before the login) is not called a login', () => {
    const workDir = join(root, 'immutable-ecr-build-ba9876543210')
    mkdirSync(workDir, { recursive: true })
    const runner = new FakeRunner({}, { [STATE.workDir]: workDir })
    post(runner)
    expect(existsSync(workDir)).toBe(false)
    expect(runner.messages('info')).toEqual([`Removed ${workDir} (the action's work folder; it held no login).`])
  })

  it('a work folder that is already gone is fine', () => {
    const workDir = join(root, 'gone')
    const runner = new FakeRunner({}, { [STATE.workDir]: workDir })
    post(runner)
    expect(runner.messages('warning')).toEqual([])
    expect(runner.failures).toEqual([])
  })

  it('warns, and never fails, when the folder cannot be removed', () => {
    const workDir = join(root, 'bad\0path')
    const runner = new FakeRunner({}, { [STATE.workDir]: workDir })
    expect(() => post(runner)).not.toThrow()
    expect(runner.failures).toEqual([])
    const warnings = runner.messages('warning')
    expect(warnings).toHaveLength(1)
    // Node's own error comes from outside jest's realm, so only its code survives errorMessage here.
    expect(warnings[0]?.startsWith(`Could not remove ${workDir}, which holds an ECR login: `)).toBe(true)
    expect(warnings[0]).toContain('ERR_INVALID_ARG_VALUE')
    expect(warnings[0]?.endsWith('. Delete it by hand.')).toBe(true)
  })

  it('does nothing without state (main failed before creating the folder)', () => {
    const runner = new FakeRunner()
    post(runner)
    expect(runner.events).toEqual([])
    expect(existsSync(root)).toBe(true)
  })

  it('reads the state from the real runner protocol by default', () => {
    const workDir = join(root, 'from-env')
    mkdirSync(workDir)
    const saved = process.env[`STATE_${STATE.workDir}`]
    process.env[`STATE_${STATE.workDir}`] = workDir
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
    try {
      post()
    } finally {
      if (saved === undefined) delete process.env[`STATE_${STATE.workDir}`]
      else process.env[`STATE_${STATE.workDir}`] = saved
    }
    expect(existsSync(workDir)).toBe(false)
    expect(write.mock.calls.map(([text]) => String(text)).join('')).toContain(`Removed ${workDir}`)
  })
})
