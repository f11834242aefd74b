import { describe, expect, it } from '@jest/globals'
import { resolveCommitSha, type CommitSource } from '../../src/shared/commit.js'
import { UserError } from '../../src/shared/errors.js'

const GITHUB_SHA = '1111111111111111111111111111111111111111'
const HEAD_SHA = '2222222222222222222222222222222222222222'
const EXPLICIT = 'abcdefabcdefabcdefabcdefabcdefabcdefabcd'
const SHA256 = 'c'.repeat(64)

const source = (eventName: string, pullRequestHeadSha?: string, githubSha = GITHUB_SHA): CommitSource => ({
  eventName,
  githubSha,
  pullRequestHeadSha
})

describe('resolveCommitSha: which commit', () => {
  it.each([
    ['push uses GITHUB_SHA', '', source('push'), GITHUB_SHA],
    ['workflow_dispatch uses GITHUB_SHA', '', source('workflow_dispatch'), GITHUB_SHA],
    ['merge_group uses GITHUB_SHA', '', source('merge_group', HEAD_SHA), GITHUB_SHA],
    ['release uses GITHUB_SHA', '', source('release'), GITHUB_SHA],
    ['pull_request uses the head SHA, not the merge commit', '', source('pull_request', HEAD_SHA), HEAD_SHA],
    ['pull_request_target uses the head SHA, not the base', '', source('pull_request_target', HEAD_SHA), HEAD_SHA],
    ['an explicit sha wins on push', EXPLICIT, source('push'), EXPLICIT],
    ['an explicit sha wins on pull_request', EXPLICIT, source('pull_request', HEAD_SHA), EXPLICIT],
    ['an explicit sha wins even without any event data', EXPLICIT, source('', undefined, ''), EXPLICIT],
    ['an explicit SHA-256 commit', SHA256, source('push'), SHA256],
    ['an upper-case explicit sha is lower-cased', EXPLICIT.toUpperCase(), source('push'), EXPLICIT],
    ['an upper-case head SHA is lower-cased', '', source('pull_request', HEAD_SHA.replace(/2/g, 'A')), 'a'.repeat(40)]
  ])('%s', (_name, explicit, from, expected) => {
    expect(resolveCommitSha(explicit, from)).toBe(expected)
  })
})

describe('resolveCommitSha: bad values', () => {
  it.each([
    ['a short explicit sha', 'abc1234', source('push'), "Input 'sha' 'abc1234' is not a commit SHA: expected 40 or 64 hexadecimal characters."],
    [
      'a non-hex explicit sha',
      'g'.repeat(40),
      source('push'),
      `Input 'sha' '${'g'.repeat(40)}' is not a commit SHA: expected 40 or 64 hexadecimal characters.`
    ],
    [
      'a 41-character explicit sha',
      'a'.repeat(41),
      source('push'),
      `Input 'sha' '${'a'.repeat(41)}' is not a commit SHA: expected 40 or 64 hexadecimal characters.`
    ],
    ['a branch name', 'main', source('push'), "Input 'sha' 'main' is not a commit SHA: expected 40 or 64 hexadecimal characters."],
    [
      'pull_request without head',
      '',
      source('pull_request'),
      "The pull_request event payload has no pull_request.head.sha; set the 'sha' input to the commit to tag."
    ],
    [
      'pull_request_target without head',
      '',
      source('pull_request_target', ''),
      "The pull_request_target event payload has no pull_request.head.sha; set the 'sha' input to the commit to tag."
    ],
    [
      'a malformed head SHA',
      '',
      source('pull_request', 'refs/heads/x'),
      "The pull request head SHA 'refs/heads/x' is not a commit SHA: expected 40 or 64 hexadecimal characters."
    ],
    ['no GITHUB_SHA', '', source('push', undefined, ''), "GITHUB_SHA is not set; set the 'sha' input to the commit to tag (40 or 64 hex characters)."],
    [
      'a malformed GITHUB_SHA',
      '',
      source('push', undefined, 'deadbeef'),
      "GITHUB_SHA 'deadbeef' is not a commit SHA: expected 40 or 64 hexadecimal characters."
    ]
  ])('%s', (_name, explicit, from, message) => {
    expect(() => resolveCommitSha(explicit, from)).toThrow(UserError)
    expect(() => resolveCommitSha(explicit, from)).toThrow(message)
  })
})
