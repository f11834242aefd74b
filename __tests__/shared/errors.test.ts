import { describe, expect, it } from '@jest/globals'
import { errorMessage, oneLine, UserError } from '../../src/shared/errors.js'

describe('UserError', () => {
  it('is an Error named UserError', () => {
    const error = new UserError('bad input')
    expect(error).toBeInstanceOf(Error)
    expect(error.name).toBe('UserError')
    expect(error.message).toBe('bad input')
  })
})

describe('errorMessage', () => {
  const circular: Record<string, unknown> = { a: 1 }
  circular.self = circular
  const unnamed = new Error('')

  it.each([
    ['an Error', new Error('boom'), 'boom'],
    ['a UserError', new UserError('fix it'), 'fix it'],
    ['an Error without a message', unnamed, 'Error'],
    ['a TypeError without a message', new TypeError(), 'TypeError'],
    ['a string', 'plain string', 'plain string'],
    ['an empty string', '', ''],
    ['a number', 42, '42'],
    ['an object', { code: 'E1', detail: 'x' }, '{"code":"E1","detail":"x"}'],
    ['null', null, 'null'],
    ['undefined', undefined, 'undefined'],
    ['a circular object', circular, '[object Object]'],
    ['a bigint', 10n, '10'],
    ['a symbol', Symbol('s'), 'Symbol(s)']
  ])('%s', (_name, value, message) => {
    expect(errorMessage(value)).toBe(message)
  })
})

describe('oneLine', () => {
  it.each([
    ['one line', 'one line'],
    ['  padded  ', 'padded'],
    ['first\nsecond', 'first second'],
    ['first  \r\n   second\n\nthird', 'first second third'],
    ['', '']
  ])('%j → %j', (text, flat) => {
    expect(oneLine(text)).toBe(flat)
  })

  it('cuts long text to max characters with an ellipsis', () => {
    const flat = oneLine('x'.repeat(600))
    expect(flat).toHaveLength(500)
    expect(flat.endsWith('…')).toBe(true)
    expect(oneLine('abcdef', 4)).toBe('abc…')
    expect(oneLine('abcd', 4)).toBe('abcd')
  })
})
