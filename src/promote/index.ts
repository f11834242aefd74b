import { startStep } from '../publish/run-step.js'

startStep({ main: () => import('./main.js') })
