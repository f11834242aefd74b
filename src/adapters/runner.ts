import * as core from '@actions/core'

/** The GitHub runner as this action sees it: inputs, outputs, state, log and job summary. */
export interface Runner {
  /** The input as the runner passed it, untrimmed: inputs.ts decides what whitespace means per input. */
  input(name: string): string
  setOutput(name: string, value: string): void
  saveState(name: string, value: string): void
  getState(name: string): string
  setSecret(value: string): void
  info(message: string): void
  /** Shown only when the run has step debug logging on (ACTIONS_STEP_DEBUG or "Re-run with debug logging"). */
  debug(message: string): void
  warning(message: string): void
  setFailed(message: string): void
  group<T>(name: string, work: () => Promise<T>): Promise<T>
  /** Appends markdown to the job summary; a no-op when GITHUB_STEP_SUMMARY is not set (local runs). */
  writeSummary(markdown: string): Promise<void>
}

/** The runner through @actions/core, so the action follows the runner when GitHub changes its file commands. */
export function createRunner(): Runner {
  return {
    // core trims by default, which would cut whitespace a secret value ends with.
    input: (name) => core.getInput(name, { trimWhitespace: false }),
    setOutput: (name, value) => core.setOutput(name, value),
    saveState: (name, value) => core.saveState(name, value),
    getState: (name) => core.getState(name),
    setSecret: (value) => core.setSecret(value),
    info: (message) => core.info(message),
    debug: (message) => core.debug(message),
    warning: (message) => core.warning(message),
    setFailed: (message) => core.setFailed(message),
    group: (name, work) => core.group(name, work),
    writeSummary: async (markdown) => {
      // core.summary.write() throws without GITHUB_STEP_SUMMARY; outside GitHub there is simply no summary.
      if (!process.env.GITHUB_STEP_SUMMARY) return
      // emptyBuffer: a write that failed earlier must not leave its text to be written twice.
      await core.summary.emptyBuffer().addRaw(markdown).write()
    }
  }
}
