import { describe, expect, it } from '@jest/globals'
import { normalizedPlatform, samePlatform } from '../../src/shared/image-graph.js'

describe('normalizedPlatform (containerd platforms.Normalize)', () => {
  it.each([
    ['linux/amd64', 'linux/amd64'],
    ['linux/amd64/v1', 'linux/amd64'],
    ['linux/amd64/v3', 'linux/amd64/v3'],
    ['linux/x86_64', 'linux/amd64'],
    ['linux/x86-64', 'linux/amd64'],
    ['linux/i386', 'linux/386'],
    ['linux/arm64', 'linux/arm64'],
    ['linux/arm64/v8', 'linux/arm64'],
    ['linux/aarch64', 'linux/arm64'],
    ['linux/arm64/v9', 'linux/arm64/v9'],
    ['linux/arm', 'linux/arm/v7'],
    ['linux/arm/7', 'linux/arm/v7'],
    ['linux/arm/v6', 'linux/arm/v6'],
    ['linux/arm/6', 'linux/arm/v6'],
    ['linux/armhf', 'linux/arm/v7'],
    ['linux/armel', 'linux/arm/v6'],
    ['Linux/AMD64', 'linux/amd64'],
    ['linux/s390x', 'linux/s390x'],
    ['windows/amd64', 'windows/amd64']
  ])('%s → %s', (name, normalized) => {
    expect(normalizedPlatform(name)).toBe(normalized)
  })

  it.each([
    ['linux/arm64', 'linux/arm64/v8', true],
    ['linux/arm', 'linux/arm/v7', true],
    ['linux/arm/v6', 'linux/arm/v7', false],
    ['linux/amd64', 'linux/arm64', false],
    ['linux/amd64', 'windows/amd64', false]
  ])('%s and %s: same %s', (a, b, same) => {
    expect(samePlatform(a, b)).toBe(same)
  })
})
