// The demo behind `npm run demo` (see scripts/demo.sh, which sets up the real parts first).
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { copyFile, cp, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startEcrEndpoint, type EcrEndpoint } from '../e2e/support/ecr/ecr-endpoint.js'
import { REPO_ROOT, runAction, type ActionRun } from '../e2e/support/runner/runner.js'

const REPOSITORY = 'demo/app'

function commitSha(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim()
  } catch {
    return randomBytes(20).toString('hex')
  }
}

function heading(text: string): void {
  console.log(`\n\x1b[1m== ${text}\x1b[0m`)
}

/** The step log as a reader of the Actions UI would see it: workflow commands folded away. */
function showLog(run: ActionRun): void {
  for (const line of run.main.stdout.split('\n')) {
    if (line.startsWith('::add-mask::')) continue
    if (line.startsWith('::group::')) console.log(`  ▸ ${line.slice(9)}`)
    else if (line.startsWith('::endgroup::')) continue
    else if (line.startsWith('::error::')) console.log(`  \x1b[31mError: ${line.slice(9)}\x1b[0m`)
    else if (line.startsWith('::warning::')) console.log(`  Warning: ${line.slice(11)}`)
    else if (line.trim()) console.log(`    ${line}`)
  }
}

function showOutputs(run: ActionRun): void {
  for (const name of ['digest', 'image', 'image-uri', 'tag', 'tags', 'registry', 'repository', 'pushed']) {
    console.log(`  ${name.padEnd(10)} ${run.outputs[name] ?? ''}`)
  }
}

async function main(): Promise<number> {
  const endpoint: EcrEndpoint = await startEcrEndpoint()
  const workspace = await mkdtemp(join(tmpdir(), 'immutable-ecr-build-demo-'))
  let failures = 0
  const expect = (ok: boolean, what: string): void => {
    console.log(`  ${ok ? '\x1b[32m✔' : '\x1b[31m✘'} ${what}\x1b[0m`)
    if (!ok) failures++
  }
  try {
    endpoint.createRepository(REPOSITORY, { mutability: 'IMMUTABLE' })
    await cp(join(REPO_ROOT, 'examples', 'app'), join(workspace, 'app'), { recursive: true })
    await copyFile('/bin/busybox', join(workspace, 'app', 'busybox'))
    const sha = commitSha()
    const run = (inputs: Record<string, string>): Promise<ActionRun> =>
      runAction({ inputs: { repository: REPOSITORY, context: 'app', ...inputs }, env: endpoint.env(), workspace, sha })

    console.log(`Local ECR-compatible endpoint: ${endpoint.apiUrl} (a real registry behind it); repository ${REPOSITORY} (IMMUTABLE).`)
    console.log(`Commit: ${sha}`)

    heading('1. First run: build, tag with the commit, push')
    const first = await run({})
    showLog(first)
    heading('Outputs')
    showOutputs(first)
    heading('Job summary')
    console.log(first.summary.trim())
    const served = await endpoint.manifestDigest(REPOSITORY, first.outputs.tag ?? '')
    heading('Checked against the registry itself')
    expect(first.main.exitCode === 0, `the step succeeded (exit ${first.main.exitCode})`)
    expect(served !== undefined && served === first.outputs.digest, `the registry serves ${served} for :${first.outputs.tag}, the digest the action reported`)
    expect(first.leakedSecrets.length === 0, 'the ECR password never appeared unmasked in the log')

    heading('2. Same commit again (if-tag-exists: fail, the default): refused, nothing built')
    const second = await run({})
    showLog(second)
    expect(second.main.exitCode === 1, `the step failed (exit ${second.main.exitCode})`)
    expect((await endpoint.manifestDigest(REPOSITORY, first.outputs.tag ?? '')) === served, 'the tag still names the first image')

    heading('3. Same commit with if-tag-exists: skip: the existing image is reused')
    const third = await run({ 'if-tag-exists': 'skip' })
    showLog(third)
    expect(third.main.exitCode === 0 && third.outputs.pushed === 'false', `exit ${third.main.exitCode}, pushed=${third.outputs.pushed}`)
    expect(third.outputs.digest === served, `digest output ${third.outputs.digest} is the existing image`)

    for (const done of [first, second, third]) await done.cleanup()
  } finally {
    await endpoint.stop()
    await rm(workspace, { recursive: true, force: true })
  }
  console.log(failures ? `\n${failures} check(s) failed.` : '\nDemo complete: pushed once, refused to overwrite, reused on request.')
  return failures ? 1 : 0
}

process.exitCode = await main()
