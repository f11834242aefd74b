import { createRunner } from '../adapters/runner.js'
import { errorMessage, oneLine } from '../shared/errors.js'
import { STATE } from './state.js'

// One bundle serves both steps: main saves isPost, so only the post step sees it. Each step loads
// only its own code (the post step never loads the AWS SDK).
const runner = createRunner()
const step = runner.getState(STATE.isPost) === 'true' ? import('./post.js').then(({ post }) => post(runner)) : import('./main.js').then(({ run }) => run())
// Last resort (a chunk that fails to load): still one escaped annotation, so no text of the error can end
// the command early or start a workflow command of its own.
// The step ends once its work is done (every write, output and clean-up is awaited inside it): a look-up
// started in parallel that the outcome made pointless, such as `docker info` on the skip path (about 120 ms),
// must not hold it open. process.exit keeps the exit code core.setFailed set.
void step.catch((error: unknown) => runner.setFailed(oneLine(errorMessage(error), Number.POSITIVE_INFINITY))).finally(() => process.exit())
