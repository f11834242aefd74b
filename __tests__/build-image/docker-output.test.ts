import { describe, expect, it } from '@jest/globals'
import { lastErrorLine, parseBuilderDriver, parseImageStore, parsePushedDigest } from '../../src/build-image/docker-output.js'

describe('parseBuilderDriver', () => {
  it.each([
    ['Name:          default\nDriver:        docker\n\nNodes:\nName: default\n', 'docker'],
    ['Name:   builder-1\nDriver: docker-container\nLast Activity: 2026-11-25\n', 'docker-container'],
    ['Name: k8s\nDriver:kubernetes\n', 'kubernetes'],
    ['Name: default\nNodes:\n', undefined],
    ['  Driver: indented-is-not-a-header\n', undefined],
    ['', undefined]
  ])('%j → %j', (output, driver) => {
    expect(parseBuilderDriver(output)).toBe(driver)
  })
})

describe('parsePushedDigest', () => {
  const digest = `sha256:${'ab'.repeat(32)}`
  it.each([
    [`The push refers to repository [host/team/api]\n5f70bf18a086: Pushed\nabc1234: digest: ${digest} size: 528\n`, digest],
    [`latest: digest: ${digest} size: 1`, digest],
    ['abc1234: digest: sha256:short size: 1', undefined],
    ['Pushed\n', undefined]
  ])('%j → %j', (output, expected) => {
    expect(parsePushedDigest(output)).toBe(expected)
  })
})

describe('parseImageStore', () => {
  it.each([
    ['[["driver-type","io.containerd.snapshotter.v1"]]', 'containerd'],
    ['[["Backing Filesystem","extfs"],["Supports d_type","true"],["Using metacopy","false"],["Native Overlay Diff","true"],["userxattr","false"]]', 'classic'],
    ['null', 'classic'],
    ['', 'classic'],
    ['not json', 'classic']
  ])('%j → %s', (output, store) => {
    expect(parseImageStore(output)).toBe(store)
  })
})

describe('lastErrorLine', () => {
  it.each([
    ['#1 building\nERROR: failed to solve: no such file\n#2 DONE\n', 'ERROR: failed to solve: no such file'],
    ['line one\nlast line\n', 'last line'],
    ['', 'no output']
  ])('%j → %j', (output, line) => {
    expect(lastErrorLine(output)).toBe(line)
  })
})
