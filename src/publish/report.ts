import { storedDigest, type Outcome, type RefusedError, type Result } from './outcome.js'

/** The action's outputs, by the names action.yml declares. */
export function actionOutputs(outcome: Outcome): Record<string, string> {
  const imageName = `${outcome.registryHost}/${outcome.repository}`
  const digest = storedDigest(outcome)
  const platformDigests = 'platformDigests' in outcome ? outcome.platformDigests : {}
  return {
    digest,
    image: digest ? `${imageName}@${digest}` : '',
    'image-name': imageName,
    // Only where a tag names the image: an untagged upload or a build that was not pushed has no such name.
    'image-uri': digest && outcome.tags.includes(outcome.shaTag) ? `${imageName}:${outcome.shaTag}` : '',
    tag: outcome.shaTag,
    tags: outcome.tags.join(','),
    registry: outcome.registryHost,
    repository: outcome.repository,
    pushed: String(outcome.result === 'pushed' || outcome.result === 'uploaded'),
    'platform-digests': Object.keys(platformDigests).length ? JSON.stringify(platformDigests) : '',
    metadata: 'metadata' in outcome ? outcome.metadata : '',
    'tags-added': (outcome.result === 'reused' ? (outcome.tagsAdded ?? []) : []).join(','),
    platform: onlyPlatform(platformDigests)
  }
}

const RESULT_TEXT: Record<Result, string> = {
  pushed: 'pushed',
  reused: 'reused (every tag already existed)',
  built: 'built, not pushed (push: false)',
  refused: 'refused (a tag already exists)',
  uploaded: 'uploaded untagged, for the merge action to name (untagged: true)'
}

/** The platform of a one-platform image (the per-platform step of a matrix); empty otherwise. */
function onlyPlatform(platformDigests: Readonly<Record<string, string>>): string {
  const platforms = Object.keys(platformDigests)
  return platforms.length === 1 ? (platforms[0] as string) : ''
}

/**
 * The job summary. It names the repository, never the registry host, which carries the AWS account id.
 */
export function summaryMarkdown(outcome: Outcome): string {
  const cell = (text: string): string => text.replace(/\|/g, '\\|')
  const digest = storedDigest(outcome)
  const buildSeconds = 'buildSeconds' in outcome ? outcome.buildSeconds : undefined
  const note = 'note' in outcome ? outcome.note : undefined
  const lines = [
    '### Immutable ECR build',
    '',
    '| Repository | Tags | Digest | Result | Build seconds |',
    '| --- | --- | --- | --- | --- |',
    `| ${cell(outcome.repository)} | ${outcome.tags.map((tag) => `\`${tag}\``).join(', ')} | ${digest ? `\`${digest}\`` : '—'} | ${resultText(outcome)} | ${buildSeconds === undefined ? '—' : buildSeconds.toFixed(1)} |`
  ]
  if (note) lines.push('', `Note: ${cell(note)}`)
  return `${lines.join('\n')}\n`
}

/** "reused; tags added: v1.2.3" when a reused image got new tags, so the summary shows the release happened. */
function resultText(outcome: Outcome): string {
  if (outcome.result === 'reused' && outcome.tagsAdded?.length) return `reused; tags added: ${outcome.tagsAdded.join(', ')}`
  return RESULT_TEXT[outcome.result]
}

/** The summary of a run refused before it wrote anything; none when the refusal came before the registry was asked. */
export function refusedSummary(error: RefusedError): string | undefined {
  return error.outcome ? summaryMarkdown({ ...error.outcome, result: 'refused', note: error.message }) : undefined
}
