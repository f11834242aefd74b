import { STATE } from './state.js'

// One bundle serves both steps: main saves isPost, so only the post step sees it. Each step loads
// only its own code (the post step never loads the AWS SDK).
const step =
  process.env[`STATE_${STATE.isPost}`] === 'true'
    ? import('./post.js').then(({ post }) => post())
    : import('./main.js').then(({ run }) => run())
step.catch((error: unknown) => {
  process.exitCode = 1
  process.stdout.write(`::error::${String(error)}\n`)
})
