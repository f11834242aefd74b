// The promote action's entry: one step, no post (it writes no docker config).
import('./main.js')
  .then(({ runPromote }) => runPromote())
  .catch((error: unknown) => {
    process.exitCode = 1
    process.stdout.write(`::error::${String(error)}\n`)
  })
