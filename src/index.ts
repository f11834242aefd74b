import { getState } from '@actions/core'

// One bundle serves both steps: main saves isPost, so only the post step sees it.
if (getState('isPost') === 'true') await (await import('./post.js')).post()
else await (await import('./main.js')).run()
