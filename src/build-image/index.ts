import { startStep } from '../publish/run-step.js'

startStep({ main: () => import('./main.js'), post: () => import('./post.js') })
