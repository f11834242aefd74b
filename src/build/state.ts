/** Names of the values main hands to the post step through GITHUB_STATE. */
export const STATE = {
  isPost: 'isPost',
  workDir: 'workDir'
} as const
