// Preloaded (node --require) into Stryker's processes by scripts/mutate.mjs.
// Stryker's mocha runner loads three Mocha files by extensionless path
// (mocha/lib/cli/run-helpers, options, collect-files); Mocha 12 renamed them to .cjs, so the
// runner fails to load ("Cannot find module .../run-helpers"). Letting require() also try .cjs
// fixes that and nothing else: a .cjs file is CommonJS, loaded exactly as a .js one.
// Remove once @stryker-mutator/mocha-runner resolves the .cjs names itself (upstream
// stryker-js pull request 6205).
'use strict';
const exts = require.extensions;
if (!exts['.cjs']) exts['.cjs'] = exts['.js'];
