// Proves the runner emulation: inputs from action.yml, both file-command formats, legacy
// stdout commands, STATE_* into post, post after a failed main, masks and leak detection.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { evaluateStatusExpression, runAction, type ActionRun } from './support/runner/runner.js'

// A stand-in for dist/build/index.js: no dependencies, does what @actions/core does by hand.
const FAKE_ACTION = String.raw`
import { appendFileSync, readFileSync } from 'node:fs'
const env = process.env
const out = (line) => process.stdout.write(line + '\n')
if (env.STATE_phase === undefined) {
  appendFileSync(env.GITHUB_OUTPUT, 'digest=sha256:abc=def\n')
  appendFileSync(env.GITHUB_OUTPUT, 'multi<<ghadelimiter_1\nline one\nline two\nghadelimiter_1\n')
  appendFileSync(env.GITHUB_OUTPUT, 'if_tag_exists=' + env['INPUT_IF-TAG-EXISTS'] + '\n')
  appendFileSync(env.GITHUB_OUTPUT, 'repository=' + env.INPUT_REPOSITORY + '\n')
  appendFileSync(env.GITHUB_OUTPUT, 'sha=' + env.GITHUB_SHA + '\n')
  appendFileSync(env.GITHUB_OUTPUT, 'event_head=' + (JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')).pull_request?.head?.sha ?? '') + '\n')
  appendFileSync(env.GITHUB_OUTPUT, 'docker_config=' + env.DOCKER_CONFIG + '\n')
  appendFileSync(env.GITHUB_STATE, 'phase=main\n')
  appendFileSync(env.GITHUB_STATE, 'config<<EOF\n{"a":1}\nsecond\nEOF\n')
  appendFileSync(env.GITHUB_ENV, 'FROM_MAIN=yes\n')
  appendFileSync(env.GITHUB_STEP_SUMMARY, '### Pushed\n')
  out('::add-mask::hunter2-secret')
  out('::add-mask::never-printed-secret')
  out('::set-output name=legacy::old%0Astyle')
  out('::save-state name=legacy_state::kept')
  out('::error file=src/a.ts,line=3::bad%0Athing 100%25')
  out('::warning::careful')
  out('::stop-commands::pause123')
  out('::error::not a command while stopped')
  out('::pause123::')
  process.stderr.write('token is hunter2-secret\n')
  if (env.SLEEP) await new Promise((r) => setTimeout(r, 30000))
  process.exit(env.FAIL_MAIN ? 1 : 0)
} else {
  out('post saw FROM_MAIN=' + env.FROM_MAIN + ' config=' + JSON.stringify(env.STATE_config) + ' legacy=' + env.STATE_legacy_state)
  appendFileSync(env.GITHUB_STEP_SUMMARY, 'cleaned up\n')
}
`

let dir: string
let script: string
const runs: ActionRun[] = []

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'runner-e2e-'))
  script = path.join(dir, 'fake-action.mjs')
  await writeFile(script, FAKE_ACTION)
})

afterAll(async () => {
  for (const run of runs) await run.cleanup()
  if (dir) await rm(dir, { recursive: true, force: true })
})

async function run(options: Parameters<typeof runAction>[0]): Promise<ActionRun> {
  const result = await runAction({ script, ...options })
  runs.push(result)
  return result
}

describe('runAction', () => {
  test('inputs, both file-command formats, legacy commands, state into post, masks and leaks', async () => {
    const result = await run({ inputs: { repository: 'team/api' }, forcePost: true })
    expect(result.main.exitCode).toBe(0)
    expect(result.outputs).toMatchObject({
      digest: 'sha256:abc=def',
      multi: 'line one\nline two',
      legacy: 'old\nstyle',
      if_tag_exists: 'fail',
      repository: 'team/api',
      sha: result.context.sha,
      docker_config: result.userDockerConfig
    })
    expect(result.inputEnv['INPUT_IF-TAG-EXISTS']).toBe('fail')
    expect(result.inputEnv['INPUT_REGISTRY-ID']).toBe('')
    expect(result.state).toEqual({ phase: 'main', config: '{"a":1}\nsecond', legacy_state: 'kept' })
    expect(result.post?.exitCode).toBe(0)
    expect(result.post?.stdout).toContain('post saw FROM_MAIN=yes config="{\\"a\\":1}\\nsecond" legacy=kept')
    expect(result.summary).toBe('### Pushed\ncleaned up\n')
    expect(result.masks).toEqual(['hunter2-secret', 'never-printed-secret'])
    expect(result.leakedSecrets).toEqual(['hunter2-secret'])
    expect(result.errors).toEqual(['bad\nthing 100%'])
    expect(result.warnings).toEqual(['careful'])
    expect(result.fileCommandErrors).toEqual([])
    expect(JSON.parse(await readFile(path.join(result.userDockerConfig, 'config.json'), 'utf8'))).toEqual({ auths: {} })
    await access(path.join(result.runnerTemp, '_github_workflow', 'event.json'))
  })

  test('post runs after a failed main; skipPost runs main only', async () => {
    const failed = await run({ inputs: { repository: 'team/api' }, env: { FAIL_MAIN: '1' } })
    expect(failed.main.exitCode).toBe(1)
    expect(failed.post?.exitCode).toBe(0)
    expect(failed.post?.stdout).toContain('post saw FROM_MAIN=yes')

    const mainOnly = await run({ inputs: { repository: 'team/api', 'if-tag-exists': 'skip' }, skipPost: true })
    expect(mainOnly.post).toBeUndefined()
    expect(mainOnly.outputs['if_tag_exists']).toBe('skip')
  })

  test('post-if from action.yml: no post after a green main, post after a failed, killed or cancelled one', async () => {
    const green = await run({ inputs: { repository: 'team/api' } })
    expect([green.main.exitCode, green.postIf, green.post]).toEqual([0, { expression: 'cancelled() || failure()', value: false }, undefined])
    const killed = await run({ inputs: { repository: 'team/api' }, env: { SLEEP: '1' }, timeoutMs: 500 })
    expect([killed.main.timedOut, killed.postIf.value, killed.post?.exitCode]).toEqual([true, true, 0])
    const cancelled = await run({ inputs: { repository: 'team/api' }, cancelled: true })
    expect([cancelled.main.exitCode, cancelled.postIf.value, cancelled.post?.exitCode]).toEqual([0, true, 0])
  })

  test.each([
    ['cancelled() || failure()', { failed: false, cancelled: false }, false],
    ['cancelled() || failure()', { failed: true, cancelled: false }, true],
    ['cancelled() || failure()', { failed: false, cancelled: true }, true],
    ['${{ always() }}', { failed: true, cancelled: false }, true],
    ['success()', { failed: true, cancelled: false }, false],
    ['(success() || failure()) && !cancelled()', { failed: false, cancelled: true }, false],
    // No status function: GitHub reads it as success() && (...).
    ['true', { failed: true, cancelled: false }, false],
    ['!false', { failed: false, cancelled: false }, true]
  ])('post-if %j with %j is %p', (expression, status, expected) => {
    expect(evaluateStatusExpression(expression, status)).toBe(expected)
  })

  test.each(["github.event_name == 'push'", 'always(', 'foo()', 'always() ||'])('post-if %j is refused, not guessed', (expression) => {
    expect(() => evaluateStatusExpression(expression, { failed: false, cancelled: false })).toThrow(/post-if/)
  })

  test('pull_request: GITHUB_SHA is the merge commit, the payload carries the head', async () => {
    const result = await run({ inputs: { repository: 'team/api' }, eventName: 'pull_request', skipPost: true })
    expect(result.context.sha).not.toBe(result.context.headSha)
    expect(result.outputs['sha']).toBe(result.context.sha)
    expect(result.outputs['event_head']).toBe(result.context.headSha)
    expect(result.context.ref).toBe('refs/pull/42/merge')
  })

  test('timeoutMs kills the step', async () => {
    const result = await run({ inputs: { repository: 'team/api' }, env: { SLEEP: '1' }, timeoutMs: 500, skipPost: true })
    expect(result.main.timedOut).toBe(true)
    expect(result.main.exitCode).not.toBe(0)
  })
})
