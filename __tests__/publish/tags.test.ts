import { describe, expect, it } from '@jest/globals'
import { UserError } from '../../src/shared/errors.js'
import { deriveTags, isValidTag, MIN_SHA_LENGTH, type TagSpec } from '../../src/publish/tags.js'

const SHA40 = '3f2a9c1e4b5d6f708192a3b4c5d6e7f801234567'
const SHA64 = '3f2a9c1e4b5d6f708192a3b4c5d6e7f8012345673f2a9c1e4b5d6f708192a3b4'

const spec = (overrides: Partial<TagSpec> = {}): TagSpec => ({ sha: SHA40, tagPrefix: '', shaLength: 40, extraTags: [], ...overrides })

function failure(overrides: Partial<TagSpec>): string {
  try {
    deriveTags(spec(overrides))
  } catch (error) {
    expect(error).toBeInstanceOf(UserError)
    const { message } = error as UserError
    expect(message).not.toContain('\n')
    return message
  }
  throw new Error(`deriveTags accepted ${JSON.stringify(overrides)}`)
}

describe('deriveTags', () => {
  it.each([
    [{}, SHA40, [SHA40]],
    [{ shaLength: 7 }, '3f2a9c1', ['3f2a9c1']],
    [{ shaLength: 12, tagPrefix: 'sha-' }, 'sha-3f2a9c1e4b5d', ['sha-3f2a9c1e4b5d']],
    [{ tagPrefix: '_build.', shaLength: 8 }, '_build.3f2a9c1e', ['_build.3f2a9c1e']],
    [{ sha: SHA64, shaLength: 64 }, SHA64, [SHA64]],
    [{ sha: SHA64, shaLength: 40 }, SHA64.slice(0, 40), [SHA64.slice(0, 40)]],
    [{ shaLength: 7, extraTags: ['v1.4.2', 'stable'] }, '3f2a9c1', ['3f2a9c1', 'v1.4.2', 'stable']],
    [{ shaLength: 7, extraTags: ['v1', 'v1', '3f2a9c1', 'v2'] }, '3f2a9c1', ['3f2a9c1', 'v1', 'v2']]
  ])('%j → SHA tag %s, all %j (SHA tag first, no duplicates)', (overrides, shaTag, all) => {
    expect(deriveTags(spec(overrides))).toEqual({ shaTag, all })
  })

  it.each(['sha/', 'a b', 'ü-', 'x:y', 'a@b'])('refuses the tag-prefix %j naming the allowed characters', (tagPrefix) => {
    expect(failure({ tagPrefix })).toBe(`Input 'tag-prefix' '${tagPrefix}' is not allowed: use only letters, digits, '_', '.' and '-'.`)
  })

  it.each([
    ['.', `.${SHA40}`],
    ['-', `-${SHA40}`],
    ['p'.repeat(89), `${'p'.repeat(89)}${SHA40}`]
  ])('refuses the tag-prefix %j that makes an invalid tag', (tagPrefix, tag) => {
    expect(failure({ tagPrefix })).toBe(
      `Input 'tag-prefix' '${tagPrefix}' makes the tag '${tag}' invalid: a tag starts with a letter, digit or '_' and has at most 128 characters.`
    )
  })

  it('accepts a prefix that makes exactly 128 characters', () => {
    expect(deriveTags(spec({ tagPrefix: 'p'.repeat(88) })).shaTag).toHaveLength(128)
  })

  it('refuses a sha-length longer than the SHA', () => {
    expect(failure({ shaLength: 64 })).toBe("Input 'sha-length' 64 is longer than the 40-character SHA: use 7 to 40.")
  })

  it.each(['-latest', '.hidden', 'a/b', 'a:b', 'x'.repeat(129), 'v1 2', 'ünicode'])('refuses the extra tag %j', (extra) => {
    expect(failure({ extraTags: ['ok', extra] })).toBe(
      `Input 'extra-tags' has an invalid tag '${extra}': a tag is 1 to 128 of letters, digits, '_', '.' and '-', and does not start with '.' or '-'.`
    )
  })
})

describe('isValidTag', () => {
  it.each([
    ['latest', true],
    ['v1.4.2', true],
    ['_x', true],
    ['A-b_C.9', true],
    ['x'.repeat(128), true],
    ['x'.repeat(129), false],
    ['', false],
    ['.x', false],
    ['-x', false],
    ['a/b', false],
    ['a+b', false]
  ])('%j → %s', (tag, valid) => {
    expect(isValidTag(tag)).toBe(valid)
  })

  it('the shortest SHA tag is 7 characters', () => {
    expect(MIN_SHA_LENGTH).toBe(7)
  })
})
