// `npm test`: every tier in order, stopping at the first that fails, then one closing line
// "N passed, N failed, N skipped" summed over the tiers (each tier prints its own). The tiers
// and the runner are in scripts/tiers.mjs. `npm test -- --fast` stops after the build (no real
// VS Code).
import { runTiers, tiersFor } from './tiers.mjs';

const { code } = await runTiers(tiersFor(process.argv.includes('--fast')));
process.exit(code);
