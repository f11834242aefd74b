import { describe, expect, it } from '@jest/globals'
import { LAG_BOUND_SECONDS, LAG_DELAYS_MS, readAfterWrite } from '../../src/shared/read-after-write.js'

describe('readAfterWrite', () => {
  it.each([
    ['served at once: no wait, nothing said', 0, [], []],
    ['served on the third read: two short waits, one line', 2, [250, 500], ['ECR served x after waiting 0.75 s for it (read-after-write lag).']],
    [
      'never served: every pause (about 30 s), one line, the last value returned for the caller to refuse',
      99,
      LAG_DELAYS_MS,
      [`ECR still did not serve x after waiting ${(LAG_DELAYS_MS.reduce((a, b) => a + b, 0) / 1000).toFixed(2)} s for it (read-after-write lag).`]
    ]
  ])('%s', async (_name, notFoundReads, waits, lines) => {
    let reads = 0
    const slept: number[] = []
    const logged: string[] = []
    const value = await readAfterWrite(
      async () => (reads++ < notFoundReads ? undefined : 'image'),
      (found) => found !== undefined,
      { what: 'x', sleep: async (ms) => void slept.push(ms), log: (line) => logged.push(line) }
    )
    expect(slept).toEqual(waits)
    expect(logged).toEqual(lines)
    expect(value).toBe(notFoundReads > LAG_DELAYS_MS.length ? undefined : 'image')
  })

  it('the bound is about 30 s, with backoff', () => {
    expect(LAG_BOUND_SECONDS).toBeGreaterThanOrEqual(25)
    expect(LAG_BOUND_SECONDS).toBeLessThanOrEqual(35)
    expect([...LAG_DELAYS_MS]).toEqual([...LAG_DELAYS_MS].sort((a, b) => a - b))
  })
})
