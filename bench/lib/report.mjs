// Helpers shared by bench/run.mjs and the report modules it loads (bench/<name>/report.mjs).

/**
 * The options among `names` that were given on the command line, as arguments to pass on to a
 * measuring script: `['--runs', '5', …]`.
 * @param {string[]} args
 * @param {(args: string[], name: string) => string | undefined} option
 * @param {string[]} names
 * @returns {string[]}
 */
export function passedOptions(args, option, names) {
  return names.flatMap(name => {
    const value = option(args, name);
    return value === undefined ? [] : [`--${name}`, value];
  });
}

/**
 * Runs `run` for each engine of `--engines` (default `sqlite,postgres`), in order. PostgreSQL
 * needs the server named by `serverEnv`: without it, it is skipped, or an error when `--engines`
 * asked for it.
 * @template T
 * @param {string[]} args
 * @param {{ option: (args: string[], name: string) => string | undefined, serverEnv: string }} helpers
 * @param {(engine: string) => Promise<T>} run
 * @returns {Promise<{ engines: string[], skipped: Record<string, string>, results: Record<string, T> }>}
 */
export async function forEachEngine(args, helpers, run) {
  const { option, serverEnv } = helpers;
  const explicit = option(args, 'engines');
  const engines = (explicit ?? 'sqlite,postgres').split(',');
  const skipped = {};
  const results = {};
  for (const engine of engines) {
    if (engine === 'postgres' && !process.env[serverEnv]) {
      const why = `${serverEnv} is not set`;
      if (explicit) throw new Error(why);
      console.error(`  postgres: skipped, ${why}`);
      skipped.postgres = why;
      continue;
    }
    results[engine] = await run(engine);
  }
  return { engines, skipped, results };
}
