import { describe, expect, it } from '@jest/globals'
import { actionOutputs, summaryMarkdown } from '../../src/publish/report.js'
import type { Outcome } from '../../src/publish/outcome.js'

const ACCOUNT = '123456789012'
const HOST = `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com`
const DIGEST = `sha256:${'d'.repeat(64)}`
const SHA = '3f2a9c1e4b5d6f708192a3b4c5d6e7f801234567'

const BASE = { registryHost: HOST, repository: 'team/api', shaTag: SHA, tags: [SHA, 'v1.4.2'] }

const outcome = (overrides: Partial<Extract<Outcome, { result: 'pushed' | 'uploaded' }>> = {}): Outcome => ({
  ...BASE,
  result: 'pushed',
  digest: DIGEST,
  platformDigests: { 'linux/amd64': DIGEST },
  metadata: '{"containerimage.digest":"x"}',
  buildSeconds: 12.345,
  ...overrides
})

/** One outcome of each result, as the pipeline makes them. */
const EACH: Record<Outcome['result'], Outcome> = {
  pushed: outcome(),
  uploaded: outcome({ result: 'uploaded', tags: [] }),
  reused: { ...BASE, result: 'reused', digest: DIGEST, platformDigests: {}, metadata: '', buildSeconds: undefined },
  built: { ...BASE, result: 'built', metadata: '', buildSeconds: 12.345, note: 'push: false' },
  refused: { ...BASE, result: 'refused', note: 'Tag already exists' }
}

describe('actionOutputs', () => {
  it('a pushed image', () => {
    expect(actionOutputs(outcome())).toEqual({
      digest: DIGEST,
      image: `${HOST}/team/api@${DIGEST}`,
      'image-name': `${HOST}/team/api`,
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
    ['reused', DIGEST, `${HOST}/team/api@${DIGEST}`, 'false', `${HOST}/team/api:${SHA}`],
    ['built', '', '', 'false', ''],
    ['refused', '', '', 'false', '']
  ] as const)('%s: digest %j, image %j, pushed %s, image-uri %j', (result, digest, image, pushed, imageUri) => {
    const outputs = actionOutputs(EACH[result])
    expect(outputs).toMatchObject({ digest, image, pushed, metadata: '', 'platform-digests': '', 'image-uri': imageUri })
  })

  it('uploaded untagged: pushed, with the one platform, no tags and no image-uri (no tag names the image)', () => {
    expect(actionOutputs(EACH.uploaded)).toMatchObject({ pushed: 'true', digest: DIGEST, platform: 'linux/amd64', tags: '', 'image-uri': '' })
  })

  it('tags-added only from a reuse that added tags', () => {
    expect(
      actionOutputs({ ...BASE, result: 'reused', digest: DIGEST, platformDigests: {}, metadata: '', buildSeconds: undefined, tagsAdded: ['v1.4.2'] })
    ).toMatchObject({
      'tags-added': 'v1.4.2',
      pushed: 'false'
    })
  })
})

describe('summaryMarkdown', () => {
  it.each([
    ['pushed', 'pushed'],
    ['reused', 'reused (every tag already existed)']
  ] as const)('result %s reads %j', (result, text) => {
    const markdown = summaryMarkdown({ ...(EACH[result] as Extract<Outcome, { digest: string }>), tags: [SHA, 'v1'], buildSeconds: 12.345 })
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

  it('push: false has no digest, its build time and the note', () => {
    expect(summaryMarkdown(EACH.built)).toContain(`| — | built, not pushed (push: false) | 12.3 |\n\nNote: push: false\n`)
  })

  it('reused with tags added says so', () => {
    const markdown = summaryMarkdown({
      ...BASE,
      result: 'reused',
      digest: DIGEST,
      platformDigests: {},
      metadata: '',
      buildSeconds: undefined,
      tagsAdded: ['v1.4.2']
    })
    expect(markdown).toContain('| reused; tags added: v1.4.2 |')
  })

  it('shows a dash for no digest and no build, and adds the note with pipes escaped', () => {
    const markdown = summaryMarkdown({ ...BASE, tags: [SHA], result: 'refused', note: 'Tag already exists | see log' })
    expect(markdown).toContain(`| team/api | \`${SHA}\` | — | refused (a tag already exists) | — |`)
    expect(markdown.endsWith('\n\nNote: Tag already exists \\| see log\n')).toBe(true)
  })

  it('never names the registry host or the account id, even given an outcome', () => {
    const markdown = summaryMarkdown({ ...BASE, result: 'reused', digest: DIGEST, platformDigests: {}, metadata: '', buildSeconds: undefined, note: 'reused' })
    expect(markdown).toContain('team/api')
    expect(markdown).not.toContain(HOST)
    expect(markdown).not.toContain(ACCOUNT)
    expect(markdown).not.toContain('amazonaws.com')
  })
})
