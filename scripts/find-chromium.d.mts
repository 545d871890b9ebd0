/** Finds a system Chromium for the browser tests; `reason` says why when none is found. */
export function findChromium(env?: NodeJS.ProcessEnv): { path: string | null; reason: string };
