import type { Outcome, Result } from './run-context.js'

/** The action's outputs, by the names action.yml declares. */
export function actionOutputs(outcome: Outcome): Record<string, string> {
  const imageName = `${outcome.registryHost}/${outcome.repository}`
  return {
    digest: outcome.digest,
    image: outcome.digest ? `${imageName}@${outcome.digest}` : '',
    'image-uri': `${imageName}:${outcome.shaTag}`,
    tag: outcome.shaTag,
    tags: outcome.tags.join(','),
    registry: outcome.registryHost,
    repository: outcome.repository,
    pushed: String(outcome.result === 'pushed' || outcome.result === 'uploaded'),
    'platform-digests': Object.keys(outcome.platformDigests).length ? JSON.stringify(outcome.platformDigests) : '',
    metadata: outcome.metadata,
    'tags-added': (outcome.tagsAdded ?? []).join(','),
    platform: onlyPlatform(outcome.platformDigests)
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

export interface SummaryRow {
  readonly result: Result
  readonly repository: string
  readonly tags: readonly string[]
  readonly digest: string
  readonly buildSeconds: number | undefined
  readonly note?: string | undefined
  readonly tagsAdded?: readonly string[] | undefined
}

/**
 * The job summary. It names the repository, never the registry host, which carries the AWS account id.
 */
export function summaryMarkdown(row: SummaryRow): string {
  const cell = (text: string): string => text.replace(/\|/g, '\\|')
  const lines = [
    '### Immutable ECR build',
    '',
    '| Repository | Tags | Digest | Result | Build seconds |',
    '| --- | --- | --- | --- | --- |',
    `| ${cell(row.repository)} | ${row.tags.map((tag) => `\`${tag}\``).join(', ')} | ${row.digest ? `\`${row.digest}\`` : '—'} | ${resultText(row)} | ${row.buildSeconds === undefined ? '—' : row.buildSeconds.toFixed(1)} |`
  ]
  if (row.note) lines.push('', `Note: ${cell(row.note)}`)
  return `${lines.join('\n')}\n`
}

/** "reused; tags added: v1.2.3" when a reused image got new tags, so the summary shows the release happened. */
function resultText(row: SummaryRow): string {
  if (row.result === 'reused' && row.tagsAdded?.length) return `reused; tags added: ${row.tagsAdded.join(', ')}`
  return RESULT_TEXT[row.result]
}
