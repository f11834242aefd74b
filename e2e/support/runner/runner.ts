// Runs the bundled action the way the GitHub runner does: INPUT_* from action.yml, the GITHUB_*
// and RUNNER_* environment, an event payload, per-step file commands, main then post when
// action.yml's post-if says so (default always()), STATE_* handed from main to post.
import { spawn } from 'node:child_process'
import { randomBytes, randomInt } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseActionMetadata } from './action-yml.js'
import { findLeaks, parseFileCommand, parsePathFile, parseStdoutCommands } from './workflow-commands.js'

/** The repository root (this file is <root>/e2e/support/runner/runner.ts). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..')

export interface RunActionOptions {
  /** `with:` values; undeclared names are passed too, with a warning, as the runner does. */
  inputs?: Record<string, string>
  /** Extra environment for both steps (e.g. the fake ECR endpoint's env()). Wins over defaults. */
  env?: Record<string, string>
  /** GITHUB_WORKSPACE and the steps' cwd; an empty temp dir by default. */
  workspace?: string
  /** push (default), pull_request, pull_request_target, workflow_dispatch, or any other name. */
  eventName?: string
  /** GITHUB_SHA for push/workflow_dispatch; for pull_request the head commit is `headSha`. */
  sha?: string
  /** pull_request(_target): the PR head commit. */
  headSha?: string
  /** pull_request(_target): the base branch commit. */
  baseSha?: string
  /** pull_request: the test merge commit (GITHUB_SHA). */
  mergeSha?: string
  /** GITHUB_REF for push (default refs/heads/main). */
  ref?: string
  headRef?: string
  baseRef?: string
  prNumber?: number
  /** Replaces the generated event payload entirely. */
  event?: Record<string, unknown>
  /** GITHUB_REPOSITORY, default acme/web. */
  repository?: string
  runId?: string
  runAttempt?: number
  /** Directory holding action.yml; default the repository root. */
  actionDir?: string
  /** Script for main and post instead of action.yml's runs.main/runs.post. */
  script?: string
  /** Script for post only (default: `script`, else runs.post). */
  postScript?: string
  /** Node binary; default the one running the tests. */
  node?: string
  skipPost?: boolean
  /** Runs post whatever post-if says (to test a post step after a main that cleaned up itself). */
  forcePost?: boolean
  /** The job was cancelled while main ran: cancelled() is true for post-if. */
  cancelled?: boolean
  /** Per step; the step's process group is killed when it runs longer. Default 10 minutes. */
  timeoutMs?: number
  /** Reuse this DOCKER_CONFIG dir instead of a fresh one with {"auths":{}}. */
  dockerConfig?: string
  /** Sets RUNNER_DEBUG=1, as re-running with debug logging does. */
  debug?: boolean
}

export interface StepResult {
  exitCode: number | null
  signal: NodeJS.Signals | null
  timedOut: boolean
  stdout: string
  stderr: string
  durationMs: number
  /** $GITHUB_OUTPUT of this step plus legacy ::set-output:: */
  outputs: Record<string, string>
  /** $GITHUB_STATE of this step plus legacy ::save-state:: */
  state: Record<string, string>
  env: Record<string, string>
  path: string[]
  summary: string
  /** Malformed file-command content, as the runner would fail on it. */
  fileCommandErrors: string[]
}

export interface ActionRun {
  main: StepResult
  /** Undefined with skipPost, when action.yml declares no post, or when its post-if is false. */
  post: StepResult | undefined
  /** action.yml's post-if (default always()) and what it gave after this main. */
  postIf: { expression: string; value: boolean }
  outputs: Record<string, string>
  state: Record<string, string>
  /** $GITHUB_ENV entries of main then post. */
  env: Record<string, string>
  path: string[]
  /** $GITHUB_STEP_SUMMARY of main then post. */
  summary: string
  masks: string[]
  leakedSecrets: string[]
  errors: string[]
  warnings: string[]
  notices: string[]
  /** Runner-side warnings (e.g. unexpected inputs). */
  runnerWarnings: string[]
  fileCommandErrors: string[]
  /** The INPUT_* variables the steps got. */
  inputEnv: Record<string, string>
  context: { eventName: string; sha: string; headSha: string; ref: string; repository: string; event: Record<string, unknown> }
  userDockerConfig: string
  runnerTemp: string
  workspace: string
  durationMs: number
  /** Removes the run's temp dirs (runner temp, docker config unless given, default workspace). */
  cleanup(): Promise<void>
}

const MINUTE = 60_000

function randomSha(): string {
  return randomBytes(20).toString('hex')
}

/** INPUT_<NAME>: upper-cased, spaces to '_', hyphens kept (the runner's rule). */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`
}

interface EventContext {
  eventName: string
  sha: string
  headSha: string
  ref: string
  headRef?: string
  baseRef?: string
  event: Record<string, unknown>
}

function buildEvent(options: RunActionOptions, repositoryName: string): EventContext {
  const eventName = options.eventName ?? 'push'
  const [owner = 'acme', name = 'web'] = repositoryName.split('/')
  const repository = {
    id: 123456789,
    name,
    full_name: repositoryName,
    private: false,
    owner: { login: owner, id: 1000, type: 'Organization' },
    html_url: `https://github.com/${repositoryName}`,
    clone_url: `https://github.com/${repositoryName}.git`,
    default_branch: 'main'
  }
  const sender = { login: 'octocat', id: 583231, type: 'User' }
  if (eventName === 'pull_request' || eventName === 'pull_request_target') {
    const number = options.prNumber ?? 42
    const headSha = options.headSha ?? randomSha()
    const baseSha = options.baseSha ?? randomSha()
    const mergeSha = options.mergeSha ?? randomSha()
    const headRef = options.headRef ?? 'feature/change'
    const baseRef = options.baseRef ?? 'main'
    const event = options.event ?? {
      action: 'synchronize',
      number,
      before: randomSha(),
      after: headSha,
      pull_request: {
        number,
        state: 'open',
        title: 'A change',
        html_url: `https://github.com/${repositoryName}/pull/${number}`,
        user: sender,
        head: { sha: headSha, ref: headRef, label: `${owner}:${headRef}`, repo: repository },
        base: { sha: baseSha, ref: baseRef, label: `${owner}:${baseRef}`, repo: repository },
        merge_commit_sha: mergeSha,
        merged: false
      },
      repository,
      sender
    }
    // pull_request runs on the test merge commit; pull_request_target on the base branch.
    return eventName === 'pull_request'
      ? { eventName, sha: mergeSha, headSha, ref: `refs/pull/${number}/merge`, headRef, baseRef, event }
      : { eventName, sha: baseSha, headSha, ref: `refs/heads/${baseRef}`, headRef, baseRef, event }
  }
  const sha = options.sha ?? randomSha()
  const ref = options.ref ?? 'refs/heads/main'
  if (eventName === 'push') {
    const event = options.event ?? {
      ref,
      before: randomSha(),
      after: sha,
      created: false,
      deleted: false,
      forced: false,
      base_ref: null,
      compare: `https://github.com/${repositoryName}/compare/${sha.slice(0, 12)}`,
      head_commit: {
        id: sha,
        tree_id: randomSha(),
        message: 'Change things',
        timestamp: new Date().toISOString(),
        url: `https://github.com/${repositoryName}/commit/${sha}`,
        author: { name: 'Octo Cat', email: 'octocat@example.com', username: 'octocat' }
      },
      commits: [],
      pusher: { name: 'octocat', email: 'octocat@example.com' },
      repository,
      sender
    }
    return { eventName, sha, headSha: sha, ref, event }
  }
  const event = options.event ?? (eventName === 'workflow_dispatch' ? { inputs: {}, ref, repository, sender } : { repository, sender })
  return { eventName, sha, headSha: sha, ref, event }
}

interface StepFiles {
  output: string
  state: string
  env: string
  path: string
  summary: string
}

async function createStepFiles(runnerTemp: string, step: string): Promise<StepFiles> {
  const dir = path.join(runnerTemp, '_runner_file_commands')
  await mkdir(dir, { recursive: true })
  const files: StepFiles = {
    output: path.join(dir, `set_output_${step}`),
    state: path.join(dir, `save_state_${step}`),
    env: path.join(dir, `set_env_${step}`),
    path: path.join(dir, `add_path_${step}`),
    summary: path.join(dir, `step_summary_${step}`)
  }
  for (const file of Object.values(files) as string[]) await writeFile(file, '')
  return files
}

async function runStep(node: string, script: string, cwd: string, env: Record<string, string>, files: StepFiles, timeoutMs: number): Promise<StepResult> {
  const startedAt = Date.now()
  const stepEnv = {
    ...env,
    GITHUB_OUTPUT: files.output,
    GITHUB_STATE: files.state,
    GITHUB_ENV: files.env,
    GITHUB_PATH: files.path,
    GITHUB_STEP_SUMMARY: files.summary
  }
  const { exitCode, signal, timedOut, stdout, stderr } = await new Promise<{
    exitCode: number | null
    signal: NodeJS.Signals | null
    timedOut: boolean
    stdout: string
    stderr: string
  }>((resolve, reject) => {
    // Own process group, so a timeout also ends what the action started (docker, buildx).
    const child = spawn(node, [script], { cwd, env: stepEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    let stdout = ''
    let stderr = ''
    let timedOut = false
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const killGroup = (signal: NodeJS.Signals): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal)
      } catch {
        // already gone
      }
    }
    let hardKill: NodeJS.Timeout | undefined
    const timer = setTimeout(() => {
      timedOut = true
      killGroup('SIGTERM')
      hardKill = setTimeout(() => killGroup('SIGKILL'), 5_000)
    }, timeoutMs)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', (code, sig) => {
      clearTimeout(timer)
      if (hardKill) clearTimeout(hardKill)
      resolve({ exitCode: code, signal: sig, timedOut, stdout, stderr })
    })
  })
  const read = (file: string): Promise<string> => readFile(file, 'utf8').catch(() => '')
  const outputs = parseFileCommand(await read(files.output))
  const state = parseFileCommand(await read(files.state))
  const envEntries = parseFileCommand(await read(files.env))
  const legacy = parseStdoutCommands(`${stdout}\n${stderr}`)
  return {
    exitCode,
    signal,
    timedOut,
    stdout,
    stderr,
    durationMs: Date.now() - startedAt,
    outputs: { ...legacy.outputs, ...outputs.values },
    state: { ...legacy.state, ...state.values },
    env: envEntries.values,
    path: parsePathFile(await read(files.path)),
    summary: await read(files.summary),
    fileCommandErrors: [
      ...outputs.errors.map((e) => `GITHUB_OUTPUT: ${e}`),
      ...state.errors.map((e) => `GITHUB_STATE: ${e}`),
      ...envEntries.errors.map((e) => `GITHUB_ENV: ${e}`)
    ]
  }
}

export async function runAction(options: RunActionOptions = {}): Promise<ActionRun> {
  const startedAt = Date.now()
  const actionDir = options.actionDir ?? REPO_ROOT
  const metadata = parseActionMetadata(await readFile(path.join(actionDir, 'action.yml'), 'utf8'))
  // The runner resolves runs.main from the action.yml's folder, `../dist/merge/index.js` included.
  const declaredMain = options.script ?? metadata.runs.main
  if (declaredMain === undefined) throw new Error(`${path.join(actionDir, 'action.yml')} declares no runs.main`)
  const mainScript = path.resolve(actionDir, declaredMain)
  const declaredPost = options.postScript ?? options.script ?? metadata.runs.post
  const postScript = declaredPost !== undefined ? path.resolve(actionDir, declaredPost) : undefined

  const runDir = await mkdtemp(path.join(os.tmpdir(), 'action-run-'))
  const runnerTemp = path.join(runDir, 'runner-temp')
  const workspace = options.workspace ?? path.join(runDir, 'workspace')
  const userDockerConfig = options.dockerConfig ?? path.join(runDir, 'user-docker-config')
  await mkdir(runnerTemp, { recursive: true })
  await mkdir(workspace, { recursive: true })
  if (!options.dockerConfig) {
    await mkdir(userDockerConfig, { recursive: true })
    await writeFile(path.join(userDockerConfig, 'config.json'), '{"auths":{}}\n')
    // A column's own buildx (IEB_BUILDX: Engine 28's buildx 0.29), installed per user the way
    // docker/setup-buildx-action installs it: $DOCKER_CONFIG/cli-plugins/docker-buildx.
    if (process.env.IEB_BUILDX) {
      await mkdir(path.join(userDockerConfig, 'cli-plugins'), { recursive: true })
      await symlink(process.env.IEB_BUILDX, path.join(userDockerConfig, 'cli-plugins', 'docker-buildx'))
    }
  }

  const repository = options.repository ?? 'acme/web'
  const context = buildEvent(options, repository)
  const eventPath = path.join(runnerTemp, '_github_workflow', 'event.json')
  await mkdir(path.dirname(eventPath), { recursive: true })
  await writeFile(eventPath, JSON.stringify(context.event, null, 2))

  const runnerWarnings: string[] = []
  const inputEnv: Record<string, string> = {}
  for (const [name, input] of Object.entries(metadata.inputs)) {
    inputEnv[inputEnvName(name)] = options.inputs?.[name] ?? input.default ?? ''
  }
  const unexpected = Object.keys(options.inputs ?? {}).filter((name) => !(name in metadata.inputs))
  if (unexpected.length > 0) {
    runnerWarnings.push(`Unexpected input(s) '${unexpected.join("', '")}', valid inputs are ['${Object.keys(metadata.inputs).join("', '")}']`)
    for (const name of unexpected) inputEnv[inputEnvName(name)] = options.inputs?.[name] ?? ''
  }

  const passthrough: Record<string, string> = {}
  // BUILDX_BUILDER and BUILDX_CONFIG: the BuildKit-builder column's builder, as setup-buildx-action hands it on.
  for (const name of ['HOME', 'PATH', 'DOCKER_HOST', 'TMPDIR', 'LANG', 'BUILDX_BUILDER', 'BUILDX_CONFIG']) {
    const value = process.env[name]
    if (value !== undefined) passthrough[name] = value
  }
  const [owner = 'acme'] = repository.split('/')
  const refName = context.ref.replace(/^refs\/(heads|tags)\//, '')
  const baseEnv: Record<string, string> = {
    ...passthrough,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_ACTION: 'build',
    GITHUB_ACTION_REPOSITORY: '',
    GITHUB_ACTOR: 'octocat',
    GITHUB_ACTOR_ID: '583231',
    GITHUB_TRIGGERING_ACTOR: 'octocat',
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_GRAPHQL_URL: 'https://api.github.com/graphql',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_EVENT_NAME: context.eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_JOB: 'build',
    GITHUB_REF: context.ref,
    GITHUB_REF_NAME: context.eventName === 'pull_request' ? refName.replace(/^refs\/pull\//, '') : refName,
    GITHUB_REF_TYPE: context.ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    GITHUB_REF_PROTECTED: 'false',
    GITHUB_HEAD_REF: context.headRef ?? '',
    GITHUB_BASE_REF: context.baseRef ?? '',
    GITHUB_REPOSITORY: repository,
    GITHUB_REPOSITORY_ID: '123456789',
    GITHUB_REPOSITORY_OWNER: owner,
    GITHUB_REPOSITORY_OWNER_ID: '1000',
    GITHUB_RETENTION_DAYS: '90',
    GITHUB_RUN_ID: options.runId ?? String(randomInt(1_000_000_000, 9_999_999_999)),
    GITHUB_RUN_NUMBER: '17',
    GITHUB_RUN_ATTEMPT: String(options.runAttempt ?? 1),
    GITHUB_SHA: context.sha,
    GITHUB_WORKFLOW: 'Build',
    GITHUB_WORKFLOW_REF: `${repository}/.github/workflows/build.yml@${context.ref}`,
    GITHUB_WORKFLOW_SHA: context.sha,
    GITHUB_WORKSPACE: workspace,
    RUNNER_ARCH: 'X64',
    RUNNER_ENVIRONMENT: 'github-hosted',
    RUNNER_NAME: 'GitHub Actions 2',
    RUNNER_OS: 'Linux',
    RUNNER_TEMP: runnerTemp,
    RUNNER_TOOL_CACHE: path.join(runDir, 'tool-cache'),
    ...(options.debug ? { RUNNER_DEBUG: '1' } : {}),
    DOCKER_CONFIG: userDockerConfig,
    ...options.env,
    ...inputEnv
  }

  const node = options.node ?? process.execPath
  const timeoutMs = options.timeoutMs ?? 10 * MINUTE
  const main = await runStep(node, mainScript, workspace, baseEnv, await createStepFiles(runnerTemp, 'main'), timeoutMs)

  const postIfExpression = metadata.runs.postIf ?? 'always()'
  const mainFailed = main.exitCode !== 0
  const postIf = {
    expression: postIfExpression,
    value: evaluateStatusExpression(postIfExpression, { failed: mainFailed, cancelled: options.cancelled ?? false })
  }
  let post: StepResult | undefined
  if (!options.skipPost && postScript !== undefined && (postIf.value || options.forcePost)) {
    // Later steps see main's $GITHUB_ENV and $GITHUB_PATH; post gets main's state as STATE_*.
    const postEnv: Record<string, string> = { ...baseEnv, ...main.env }
    if (main.path.length > 0) postEnv['PATH'] = [...[...main.path].reverse(), postEnv['PATH'] ?? ''].join(path.delimiter)
    for (const [name, value] of Object.entries(main.state)) postEnv[`STATE_${name}`] = value
    post = await runStep(node, postScript, workspace, postEnv, await createStepFiles(runnerTemp, 'post'), timeoutMs)
  }

  const steps = post ? [main, post] : [main]
  const commands = steps.map((step) => parseStdoutCommands(`${step.stdout}\n${step.stderr}`))
  const masks = [...new Set(commands.flatMap((c) => c.masks))]
  return {
    main,
    post,
    postIf,
    outputs: main.outputs,
    state: main.state,
    env: Object.assign({}, ...steps.map((step) => step.env)) as Record<string, string>,
    path: steps.flatMap((step) => step.path),
    summary: steps.map((step) => step.summary).join(''),
    masks,
    leakedSecrets: findLeaks(
      masks,
      steps.flatMap((step) => [step.stdout, step.stderr])
    ),
    errors: commands.flatMap((c) => c.errors),
    warnings: commands.flatMap((c) => c.warnings),
    notices: commands.flatMap((c) => c.notices),
    runnerWarnings,
    fileCommandErrors: steps.flatMap((step) => step.fileCommandErrors),
    inputEnv,
    context: {
      eventName: context.eventName,
      sha: context.sha,
      headSha: context.headSha,
      ref: context.ref,
      repository,
      event: context.event
    },
    userDockerConfig,
    runnerTemp,
    workspace,
    durationMs: Date.now() - startedAt,
    cleanup: () => rm(runDir, { recursive: true, force: true })
  }
}

/**
 * A step condition made of the status functions (success(), failure(), cancelled(), always()),
 * true/false, !, &&, || and parentheses: what a post-if holds. As on GitHub, a condition with no
 * status function is read as success() && (condition). Anything else is refused, not guessed.
 */
export function evaluateStatusExpression(expression: string, status: { failed: boolean; cancelled: boolean }): boolean {
  const source = expression.trim().replace(/^\$\{\{([\s\S]*)\}\}$/, '$1')
  const tokens = source.match(/\s*(\|\||&&|!|\(|\)|[A-Za-z_]+\(\s*\)|true|false)/gy)?.map((token) => token.replace(/\s/g, '')) ?? []
  if (tokens.join('') !== source.replace(/\s/g, ''))
    throw new Error(`post-if '${expression}': only status functions, true, false, !, &&, || and ( ) are understood here`)
  const functions: Record<string, boolean> = {
    'success()': !status.failed && !status.cancelled,
    'failure()': status.failed,
    'cancelled()': status.cancelled,
    'always()': true
  }
  let position = 0
  const peek = (): string | undefined => tokens[position]
  const take = (): string => {
    const token = tokens[position++]
    if (token === undefined) throw new Error(`post-if '${expression}' ends too early`)
    return token
  }
  const primary = (): boolean => {
    const token = take()
    if (token === '!') return !primary()
    if (token === '(') {
      const value = or()
      if (take() !== ')') throw new Error(`post-if '${expression}': ')' expected`)
      return value
    }
    if (token === 'true' || token === 'false') return token === 'true'
    if (token in functions) return functions[token] as boolean
    throw new Error(`post-if '${expression}': unknown '${token}'`)
  }
  const and = (): boolean => {
    let value = primary()
    while (peek() === '&&') {
      take()
      value = primary() && value
    }
    return value
  }
  const or = (): boolean => {
    let value = and()
    while (peek() === '||') {
      take()
      value = and() || value
    }
    return value
  }
  const value = or()
  if (position !== tokens.length) throw new Error(`post-if '${expression}': unexpected '${tokens[position]}'`)
  const hasStatusFunction = tokens.some((token) => token in functions)
  return hasStatusFunction ? value : !status.failed && !status.cancelled && value
}
