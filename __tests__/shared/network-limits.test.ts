import { describe, expect, it } from '@jest/globals'
import { UserError } from '../../src/shared/errors.js'
import { backoffMs, enginePushLimitMs, networkLimits } from '../../src/shared/network-limits.js'

describe('networkLimits', () => {
  it.each([
    [{}, { idleMs: 60_000, connectMs: 10_000 }],
    [{ IEB_IDLE_TIMEOUT_MS: ' ' }, { idleMs: 60_000, connectMs: 10_000 }],
    [{ IEB_IDLE_TIMEOUT_MS: '3000' }, { idleMs: 3000, connectMs: 3000 }],
    [{ IEB_IDLE_TIMEOUT_MS: '120000' }, { idleMs: 120_000, connectMs: 10_000 }]
  ])('%j: %j', (env, expected) => {
    expect(networkLimits(env)).toEqual(expected)
  })

  it.each(['abc', '50', '-1', '1.5'])('refuses IEB_IDLE_TIMEOUT_MS %j with one line', (value) => {
    expect(() => networkLimits({ IEB_IDLE_TIMEOUT_MS: value })).toThrow(
      new UserError(`IEB_IDLE_TIMEOUT_MS '${value}' is not a number of milliseconds of 100 or more (a test-only setting): unset it.`)
    )
  })
})

describe('backoffMs', () => {
  it.each([
    [1, 0, 125],
    [1, 1, 250],
    [2, 0.5, 375],
    [3, 1, 1000],
    [5, 1, 4000],
    [9, 0, 2000]
  ])('retry %d with random %p: %d ms (between half and all of min(4 s, 250 ms × 2^(retry-1)))', (retry, random, expected) => {
    expect(backoffMs(retry, () => random)).toBe(expected)
  })
})

describe('enginePushLimitMs', () => {
  it.each([
    ['an unknown size: 60 idle limits (an hour)', undefined, { idleMs: 60_000, connectMs: 10_000 }, 3_600_000],
    ['4 MiB: the idle limit, docker’s retry waits (50 s) and 16 s', 4 * 1024 * 1024, { idleMs: 60_000, connectMs: 10_000 }, 126_000],
    ['1 GiB: the idle limit, docker’s retry waits and about 68 minutes', 1024 ** 3, { idleMs: 60_000, connectMs: 10_000 }, 110_000 + 4_096_000],
    ['4 MiB with the 2 s test limit', 4 * 1024 * 1024, { idleMs: 2000, connectMs: 2000 }, 68_000]
  ])('%s', (_name, bytes, limits, expected) => {
    expect(enginePushLimitMs(bytes, limits)).toBe(expected)
  })
})
