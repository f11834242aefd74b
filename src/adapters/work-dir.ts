import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { Runner } from './runner.js'
import { errorMessage } from '../shared/errors.js'

/** Removes the folder holding the private docker config (the ECR login); warns, never fails. */
export function removeWorkDir(runner: Runner, workDir: string): void {
  const existed = existsSync(workDir)
  // A run that failed before the login (no credentials, say) has no docker config to speak of.
  const heldLogin = existsSync(join(workDir, 'docker-config'))
  try {
    rmSync(workDir, { recursive: true, force: true })
    if (existed)
      runner.info(`Removed ${workDir} (${heldLogin ? 'the private docker config with the ECR login' : "the action's work folder; it held no login"}).`)
  } catch (error) {
    runner.warning(`Could not remove ${workDir}, which holds an ECR login: ${errorMessage(error)}. Delete it by hand.`)
  }
}
