import { existsSync, rmSync } from 'node:fs'
import type { Runner } from './adapters/runner.js'
import { errorMessage } from './errors.js'

/** Removes the folder holding the private docker config (the ECR login); warns, never fails. */
export function removeWorkDir(runner: Runner, workDir: string): void {
  const existed = existsSync(workDir)
  try {
    rmSync(workDir, { recursive: true, force: true })
    if (existed) runner.info(`Removed ${workDir} (the private docker config with the ECR login).`)
  } catch (error) {
    runner.warning(`Could not remove ${workDir}, which holds an ECR login: ${errorMessage(error)}. Delete it by hand.`)
  }
}
