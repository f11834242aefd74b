#!/usr/bin/env node
// Runs the committed bundle (dist/index.js) the way the runner starts it, with every input of action.yml at
// its default and `repository` empty, and expects it to fail cleanly: exit code 1 and an `::error::` line
// that names the missing input. This catches a bundle that crashes at start (e.g. an ESM/CommonJS mix-up)
// even when it diffs clean. Runs dist/ with the Node that runs this script.
//
// Usage: node .github/scripts/run-dist-without-inputs.mjs
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import YAML from 'yaml'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const action = YAML.parse(readFileSync(path.join(root, 'action.yml'), 'utf8'))
const temp = mkdtempSync(path.join(tmpdir(), 'run-dist-'))

// A fresh environment: the runner's file commands point at scratch files, never at this job's own.
const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? temp, GITHUB_ACTIONS: 'true', RUNNER_TEMP: temp }
for (const name of ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_ENV', 'GITHUB_PATH', 'GITHUB_STEP_SUMMARY']) {
  env[name] = path.join(temp, name.toLowerCase())
  writeFileSync(env[name], '')
}
const eventPath = path.join(temp, 'event.json')
writeFileSync(eventPath, '{}')
Object.assign(env, {
  GITHUB_EVENT_NAME: 'push',
  GITHUB_EVENT_PATH: eventPath,
  GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
  GITHUB_REPOSITORY: 'example/repository',
  GITHUB_WORKSPACE: root
})
for (const [name, spec] of Object.entries(action.inputs ?? {})) {
  env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = String(spec?.default ?? '')
}
env.INPUT_REPOSITORY = ''

const result = spawnSync(process.execPath, [path.join(root, action.runs.main)], { cwd: root, env, encoding: 'utf8', timeout: 60_000 })
rmSync(temp, { recursive: true, force: true })
const stdout = result.stdout ?? ''
// Indented, so that the runner does not take the bundle's expected `::error::` line as this step's annotation.
const shown = `${stdout}${result.stderr ?? ''}`
  .split('\n')
  .filter(Boolean)
  .map((line) => `  | ${line}`)
  .join('\n')
console.log(`${action.runs.main} on Node ${process.version} exited with ${result.status ?? result.signal}:\n${shown}`)

const errorLines = stdout.split('\n').filter((line) => line.startsWith('::error'))
const problems = []
if (result.status !== 1) problems.push(`exit code ${result.status ?? result.signal}, expected 1`)
if (!errorLines.some((line) => /repository/.test(line))) problems.push('no ::error:: line naming the input `repository`')
if (problems.length > 0) {
  console.log(`run-dist-without-inputs: FAILED: ${problems.join('; ')}`)
  process.exit(1)
}
console.log(`run-dist-without-inputs: OK: exit code 1 and "${errorLines.find((l) => /repository/.test(l))}"`)
