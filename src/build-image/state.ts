import { POST_STATE } from '../publish/run-step.js'

/** Names of the values main hands to the post step through GITHUB_STATE. */
export const STATE = {
  isPost: POST_STATE,
  workDir: 'workDir'
} as const
