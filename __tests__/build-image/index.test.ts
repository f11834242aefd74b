import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { EOL } from 'node:os'

// index.ts runs on import, so each test mocks the step modules, sets the environment, and loads it afresh.
const main = jest.fn<() => Promise<void>>()
const post = jest.fn<() => void>()
jest.unstable_mockModule('../../src/build-image/main.js', () => ({ run: main }))
jest.unstable_mockModule('../../src/build-image/post.js', () => ({ post }))

let written: string[]
let savedState: string | undefined
let exits: (string | number | null | undefined)[]

beforeEach(() => {
  jest.resetModules()
  main.mockReset().mockResolvedValue(undefined)
  post.mockReset()
  savedState = process.env.STATE_isPost
  delete process.env.STATE_isPost
  written = []
  exits = []
  jest.spyOn(process, 'exit').mockImplementation((code) => {
    exits.push(code)
    return undefined as never
  })
  jest.spyOn(process.stdout, 'write').mockImplementation((text: string | Uint8Array) => {
    written.push(String(text))
    return true
  })
})
afterEach(() => {
  jest.restoreAllMocks()
  process.exitCode = undefined
  if (savedState === undefined) delete process.env.STATE_isPost
  else process.env.STATE_isPost = savedState
})

/** Loads index.ts and lets its step (and its catch) settle. */
async function start(): Promise<void> {
  await import('../../src/build-image/index.js')
  await new Promise((resolve) => setImmediate(resolve))
}

describe('index', () => {
  it('runs main when the state has no isPost', async () => {
    await start()
    expect(main).toHaveBeenCalledTimes(1)
    expect(post).not.toHaveBeenCalled()
  })

  it('runs post when main saved isPost (the runner hands it back as STATE_isPost)', async () => {
    process.env.STATE_isPost = 'true'
    await start()
    expect(post).toHaveBeenCalledTimes(1)
    expect(main).not.toHaveBeenCalled()
  })

  it('a step that rejects fails with one escaped annotation: its text cannot start a workflow command', async () => {
    main.mockRejectedValue(new Error('boom\r::add-mask::x\n::warning::100%'))
    await start()
    expect(written).toEqual([`::error::boom%0D::add-mask::x ::warning::100%25${EOL}`])
    expect(process.exitCode).toBe(1)
  })

  it('ends the process only once the step has settled, keeping the exit code set on failure', async () => {
    let finish: () => void = () => undefined
    main.mockReturnValue(new Promise<void>((resolve) => (finish = resolve)))
    await start()
    expect(exits).toEqual([])
    finish()
    await new Promise((resolve) => setImmediate(resolve))
    expect(exits).toEqual([undefined])

    jest.resetModules()
    exits = []
    main.mockRejectedValue(new Error('boom'))
    await start()
    expect(exits).toEqual([undefined])
    expect(process.exitCode).toBe(1)
  })

  it('a rejection that is not an Error still fails the step', async () => {
    main.mockRejectedValue({ reason: 'odd' })
    await start()
    expect(written).toEqual([`::error::{"reason":"odd"}${EOL}`])
    expect(process.exitCode).toBe(1)
  })
})
