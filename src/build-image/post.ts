import { createRunner, type Runner } from '../adapters/runner.js'
import { STATE } from './state.js'
import { removeWorkDir } from '../adapters/work-dir.js'

/**
 * The post step, the safety net: main removes its work folder itself, so this matters when main was
 * cancelled or killed before it could (action.yml runs it only when the job failed or was cancelled).
 */
export function post(runner: Runner = createRunner()): void {
  const workDir = runner.getState(STATE.workDir)
  if (workDir) removeWorkDir(runner, workDir)
}
