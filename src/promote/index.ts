import { createRunner } from '../adapters/runner.js'
import { errorMessage, oneLine } from '../shared/errors.js'

// The promote action's entry: one step, no post (it writes no docker config). Last resort (a chunk that
// fails to load): one escaped annotation, as in the build action, so no text of the error can end the
// command early or start a workflow command of its own.
const runner = createRunner()
import('./main.js').then(({ runPromote }) => runPromote()).catch((error: unknown) => runner.setFailed(oneLine(errorMessage(error), Number.POSITIVE_INFINITY)))
