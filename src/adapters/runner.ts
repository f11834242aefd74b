import { randomUUID } from 'node:crypto'
import { appendFileSync } from 'node:fs'
import { EOL } from 'node:os'

/** The GitHub runner as this action sees it: inputs, outputs, state, log and job summary. */
export interface Runner {
  input(name: string): string
  setOutput(name: string, value: string): void
  saveState(name: string, value: string): void
  getState(name: string): string
  setSecret(value: string): void
  info(message: string): void
  warning(message: string): void
  error(message: string): void
  setFailed(message: string): void
  group<T>(name: string, work: () => Promise<T>): Promise<T>
  /** Appends markdown to the job summary; a no-op when GITHUB_STEP_SUMMARY is not set (local runs). */
  writeSummary(markdown: string): Promise<void>
}

/**
 * The runner's documented protocol (workflow commands on stdout, GITHUB_OUTPUT / GITHUB_STATE files),
 * written here rather than imported from @actions/core: core loads an HTTP client (undici) for OIDC at
 * start-up, which measured 65 ms of every run on a 2-core machine, for a feature this action never uses.
 */
export function createRunner(env: NodeJS.ProcessEnv = process.env, write: (text: string) => void = stdout): Runner {
  const command = (name: string, message: string): void => write(`::${name}::${escapeData(message)}${EOL}`)
  return {
    input: (name) => env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '',
    setOutput: (name, value) => fileCommand(env.GITHUB_OUTPUT, name, value, () => command(`set-output name=${name}`, value)),
    saveState: (name, value) => fileCommand(env.GITHUB_STATE, name, value, () => command(`save-state name=${name}`, value)),
    getState: (name) => env[`STATE_${name}`] ?? '',
    setSecret: (value) => command('add-mask', value),
    info: (message) => write(`${message}${EOL}`),
    warning: (message) => command('warning', message),
    error: (message) => command('error', message),
    setFailed: (message) => {
      process.exitCode = 1
      command('error', message)
    },
    group: async (name, work) => {
      command('group', name)
      try {
        return await work()
      } finally {
        write(`::endgroup::${EOL}`)
      }
    },
    writeSummary: async (markdown) => {
      if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, markdown, 'utf8')
    }
  }
}

function stdout(text: string): void {
  process.stdout.write(text)
}

/** name<<delimiter heredoc, the format the runner reads from GITHUB_OUTPUT and GITHUB_STATE. */
export function fileCommandEntry(name: string, value: string, delimiter = `ghadelimiter_${randomUUID()}`): string {
  if (name.includes(delimiter) || value.includes(delimiter)) {
    throw new Error(`The value of ${name} contains the delimiter ${delimiter}.`)
  }
  return `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`
}

function fileCommand(path: string | undefined, name: string, value: string, legacy: () => void): void {
  if (path) appendFileSync(path, fileCommandEntry(name, value), 'utf8')
  else legacy()
}

/** Workflow-command escaping: a message cannot end the command or start another one. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}
