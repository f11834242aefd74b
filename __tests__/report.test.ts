import { describe, expect, it } from '@jest/globals'
import { actionOutputs, summaryMarkdown } from '../src/report.js'
import type { Outcome } from '../src/run-context.js'

const ACCOUNT = '123456789012'
const HOST = `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com`
const DIGEST = `sha256:${'d'.repeat(64)}`
const SHA = '3f2a9c1e4b5d6f708192a3b4c5d6e7f801234567'

const outcome = (overrides: Partial<Outcome> = {}): Outcome => ({
  result: 'pushed',
  registryHost: HOST,
  repository: 'team/api',
  shaTag: SHA,
  tags: [SHA, 'v1.4.2'],
  digest: DIGEST,
  platformDigests: { 'linux/amd64': DIGEST },
  metadata: '{"containerimage.digest":"x"}',
  buildSeconds: 12.345,
  note: undefined,
  ...overrides
})

describe('actionOutputs', () => {
  it('a pushed image', () => {
    expect(actionOutputs(outcome())).toEqual({
      digest: DIGEST,
      image: `${HOST}/team/api@${DIGEST}`,
      'image-uri': `${HOST}/team/api:${SHA}`,
      tag: SHA,
      tags: `${SHA},v1.4.2`,
      registry: HOST,
      repository: 'team/api',
      pushed: 'true',
      'platform-digests': `{"linux/amd64":"${DIGEST}"}`,
      platform: 'linux/amd64',
      metadata: '{"containerimage.digest":"x"}',
      'tags-added': ''
    })
  })

  it.each([
    ['reused', DIGEST, `${HOST}/team/api@${DIGEST}`, 'false'],
    ['built', '', '', 'false'],
    ['refused', '', '', 'false']
  ] as const)('%s: digest %j, image %j, pushed %s', (result, digest, image, pushed) => {
    const outputs = actionOutputs(outcome({ result, digest, metadata: '', platformDigests: {} }))
    expect(outputs).toMatchObject({ digest, image, pushed, metadata: '', 'platform-digests': '', 'image-uri': `${HOST}/team/api:${SHA}` })
  })
})

describe('summaryMarkdown', () => {
  it.each([
    ['pushed', 'pushed'],
    ['reused', 'reused (every tag already existed)'],
    ['built', 'built, not pushed (push: false)'],
    ['refused', 'refused (a tag already exists)']
  ] as const)('result %s reads %j', (result, text) => {
    const markdown = summaryMarkdown({ result, repository: 'team/api', tags: [SHA, 'v1'], digest: DIGEST, buildSeconds: 12.345 })
    expect(markdown).toBe(
      [
        '### Immutable ECR build',
        '',
        '| Repository | Tags | Digest | Result | Build seconds |',
        '| --- | --- | --- | --- | --- |',
        `| team/api | \`${SHA}\`, \`v1\` | \`${DIGEST}\` | ${text} | 12.3 |`,
        ''
      ].join('\n')
    )
  })

  it('shows a dash for no digest and no build, and adds the note with pipes escaped', () => {
    const markdown = summaryMarkdown({
      result: 'refused',
      repository: 'team/api',
      tags: [SHA],
      digest: '',
      buildSeconds: undefined,
      note: 'Tag already exists | see log'
    })
    expect(markdown).toContain(`| team/api | \`${SHA}\` | — | refused (a tag already exists) | — |`)
    expect(markdown.endsWith('\n\nNote: Tag already exists \\| see log\n')).toBe(true)
  })

  it('never names the registry host or the account id, even given an outcome', () => {
    const markdown = summaryMarkdown(outcome({ note: 'reused' }))
    expect(markdown).toContain('team/api')
    expect(markdown).not.toContain(HOST)
    expect(markdown).not.toContain(ACCOUNT)
    expect(markdown).not.toContain('amazonaws.com')
  })
})
