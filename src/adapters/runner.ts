import * as core from '@actions/core'

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

export const githubRunner: Runner = {
  input: (name) => core.getInput(name),
  setOutput: (name, value) => core.setOutput(name, value),
  saveState: (name, value) => core.saveState(name, value),
  getState: (name) => core.getState(name),
  setSecret: (value) => core.setSecret(value),
  info: (message) => core.info(message),
  warning: (message) => core.warning(message),
  error: (message) => core.error(message),
  setFailed: (message) => core.setFailed(message),
  group: (name, work) => core.group(name, work),
  writeSummary: async (markdown) => {
    if (!process.env.GITHUB_STEP_SUMMARY) return
    await core.summary.addRaw(markdown, true).write()
  }
}
