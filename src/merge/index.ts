import { runMerge } from './main.js'

// The merge action's entry (merge/action.yml): it has no post step, nothing is left on the runner.
void runMerge()
