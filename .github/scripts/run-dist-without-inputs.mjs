#!/usr/bin/env node
// Runs every committed bundle of scripts/bundles.txt (dist/<action>/index.js) the way the runner starts it, with
// each input of the action.yml that runs it at its default and every required input empty, and expects each
// to fail cleanly: exit code 1 and an `::error::` line that names a required input. This catches a bundle that
// crashes at start (e.g. an ESM/CommonJS mix-up) even when it diffs clean, and a bundle no action.yml runs.
// Runs the bundles with the Node that runs this script.
//
// Usage: node .github/scripts/run-dist-without-inputs.mjs
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import YAML from 'yaml'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

/** `<action> <entry>` lines of scripts/bundles.txt; `#` starts a comment line. */
const bundles = readFileSync(path.join(root, 'scripts', 'bundles.txt'), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'))
  .map((line) => line.split(/\s+/)[0])

/** The action.yml files of the repository: the root's and one folder down (merge/, promote/). */
const actionFiles = [
  path.join(root, 'action.yml'),
  ...readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules')
    .map((entry) => path.join(root, entry.name, 'action.yml'))
].filter((file) => existsSync(file))

/** The action.yml whose runs.main is the bundle, resolved from its own folder as the runner does. */
function actionRunning(bundle) {
  for (const file of actionFiles) {
    const action = YAML.parse(readFileSync(file, 'utf8'))
    if (typeof action?.runs?.main === 'string' && path.resolve(path.dirname(file), action.runs.main) === bundle) return { file, action }
  }
  return undefined
}

function runWithoutInputs(name) {
  const bundle = path.join(root, 'dist', name, 'index.js')
  const shownName = path.relative(root, bundle)
  const found = actionRunning(bundle)
  if (!found) return [`${shownName}: no action.yml runs it (runs.main, resolved from the action.yml's folder)`]
  const { file, action } = found
  const temp = mkdtempSync(path.join(tmpdir(), 'run-dist-'))

  // A fresh environment: the runner's file commands point at scratch files, never at this job's own.
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? temp, GITHUB_ACTIONS: 'true', RUNNER_TEMP: temp }
  for (const variable of ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_ENV', 'GITHUB_PATH', 'GITHUB_STEP_SUMMARY']) {
    env[variable] = path.join(temp, variable.toLowerCase())
    writeFileSync(env[variable], '')
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
  const required = []
  for (const [input, spec] of Object.entries(action.inputs ?? {})) {
    const variable = `INPUT_${input.replace(/ /g, '_').toUpperCase()}`
    env[variable] = spec?.required ? '' : String(spec?.default ?? '')
    if (spec?.required) required.push(input)
  }

  const result = spawnSync(process.execPath, [bundle], { cwd: root, env, encoding: 'utf8', timeout: 60_000 })
  rmSync(temp, { recursive: true, force: true })
  const stdout = result.stdout ?? ''
  // Indented, so that the runner does not take the bundle's expected `::error::` line as this step's annotation.
  const shown = `${stdout}${result.stderr ?? ''}`
    .split('\n')
    .filter(Boolean)
    .map((line) => `  | ${line}`)
    .join('\n')
  console.log(`${shownName} (${path.relative(root, file)}) on Node ${process.version} exited with ${result.status ?? result.signal}:\n${shown}`)

  const namesRequired = (line) => required.some((input) => line.includes(`'${input}'`))
  const errorLines = stdout.split('\n').filter((line) => line.startsWith('::error'))
  const problems = []
  if (result.status !== 1) problems.push(`exit code ${result.status ?? result.signal}, expected 1`)
  if (!errorLines.some(namesRequired)) problems.push(`no ::error:: line naming a required input (${required.join(', ') || 'none declared'})`)
  return problems.map((problem) => `${shownName}: ${problem}`)
}

const problems = bundles.flatMap(runWithoutInputs)
if (bundles.length === 0) problems.push('scripts/bundles.txt lists no bundle')
if (problems.length > 0) {
  console.log(`run-dist-without-inputs: FAILED: ${problems.join('; ')}`)
  process.exit(1)
}
console.log(`run-dist-without-inputs: OK: ${bundles.map((name) => `dist/${name}/index.js`).join(', ')} each exit 1 naming a required input`)
