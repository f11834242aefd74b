import type { PromoteOutcome } from './promotion.js'
import { referrerKind } from './referrers.js'

/** The promote action's outputs, by the names promote/action.yml declares. */
export function promoteOutputs(outcome: PromoteOutcome): Record<string, string> {
  return {
    digest: outcome.digest,
    image: `${outcome.registryHost}/${outcome.repository}@${outcome.digest}`,
    'image-name': `${outcome.registryHost}/${outcome.repository}`,
    'tags-added': outcome.tagsAdded.join(','),
    'platform-digests': Object.keys(outcome.platformDigests).length ? JSON.stringify(outcome.platformDigests) : '',
    pushed: String(outcome.pushed)
  }
}

/** The job summary; it names the repository, never the registry host (which carries the account id). */
export function promoteSummary(outcome: PromoteOutcome, source: string): string {
  const cell = (text: string): string => text.replace(/\|/g, '\\|')
  const result = outcome.pushed
    ? outcome.transfer
      ? 'promoted'
      : `tags added: ${outcome.tagsAdded.join(', ')}`
    : 'already promoted (every tag on this digest)'
  return [
    '### Immutable ECR promote',
    '',
    '| From | To | Tags | Digest | Result |',
    '| --- | --- | --- | --- | --- |',
    `| ${cell(source)} | ${cell(outcome.repository)} | ${outcome.tags.map((tag) => `\`${tag}\``).join(', ')} | \`${outcome.digest}\` | ${result} |`,
    '',
    ...referrersSection(outcome)
  ].join('\n')
}

/** The referrers that travelled with the image (signatures, SBOMs, attestations), one row each. */
function referrersSection(outcome: PromoteOutcome): string[] {
  if (outcome.referrers.length === 0) return ['No referrers (signatures, SBOMs, attestations) to copy.', '']
  return [
    `#### Referrers (${outcome.referrers.length})`,
    '',
    '| Referrer | Type | Subject | Result |',
    '| --- | --- | --- | --- |',
    ...outcome.referrers.map(
      (referrer) =>
        `| \`${referrer.digest}\` | ${referrerKind(referrer).replace(/\|/g, '\\|')} | \`${referrer.subject}\` | ${referrer.copied ? 'copied' : 'already there'} |`
    ),
    ''
  ]
}
