import { rmSync } from 'node:fs'
import { createRunner, type Runner } from './adapters/runner.js'
import { errorMessage } from './errors.js'
import { STATE } from './state.js'

/**
 * The post step: removes the private docker config (the ECR login) and the build metadata. It runs
 * after failures too, and only warns: cleaning up must never fail a job.
 */
export async function post(runner: Runner = createRunner()): Promise<void> {
  const workDir = runner.getState(STATE.workDir)
  if (!workDir) return
  try {
    rmSync(workDir, { recursive: true, force: true })
    runner.info(`Removed ${workDir} (the private docker config with the ECR login).`)
  } catch (error) {
    runner.warning(`Could not remove ${workDir}, which holds an ECR login: ${errorMessage(error)}. Delete it by hand.`)
  }
}
