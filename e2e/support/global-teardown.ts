// Stops the test builder's proxy and removes its folder (e2e/support/global-setup.ts).
export { globalTeardown as default } from './global-setup.js'
