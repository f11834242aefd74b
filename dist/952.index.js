export const id = 952;
export const ids = [952];
export const modules = {

/***/ 8145:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   x: () => (/* binding */ removeWorkDir)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8382);



/** Removes the folder holding the private docker config (the ECR login); warns, never fails. */
function removeWorkDir(runner, workDir) {
    const existed = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(workDir);
    // A run that failed before the login (no credentials, say) has no docker config to speak of.
    const heldLogin = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(workDir, 'docker-config'));
    try {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.rmSync)(workDir, { recursive: true, force: true });
        if (existed)
            runner.info(`Removed ${workDir} (${heldLogin ? 'the private docker config with the ECR login' : "the action's work folder; it held no login"}).`);
    }
    catch (error) {
        runner.warning(`Could not remove ${workDir}, which holds an ECR login: ${(0,_shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(error)}. Delete it by hand.`);
    }
}


/***/ }),

/***/ 6952:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   post: () => (/* binding */ post)
/* harmony export */ });
/* harmony import */ var _adapters_runner_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8793);
/* harmony import */ var _state_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(625);
/* harmony import */ var _adapters_work_dir_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8145);



/**
 * The post step, the safety net: main removes its work folder itself, so this matters when main was
 * cancelled or killed before it could (action.yml runs it only when the job failed or was cancelled).
 */
function post(runner = (0,_adapters_runner_js__WEBPACK_IMPORTED_MODULE_0__/* .createRunner */ .j)()) {
    const workDir = runner.getState(_state_js__WEBPACK_IMPORTED_MODULE_1__/* .STATE */ .c.workDir);
    if (workDir)
        (0,_adapters_work_dir_js__WEBPACK_IMPORTED_MODULE_2__/* .removeWorkDir */ .x)(runner, workDir);
}


/***/ })

};

//# sourceMappingURL=952.index.js.map