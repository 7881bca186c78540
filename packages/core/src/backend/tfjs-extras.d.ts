/**
 * `#tfjs-extras` (package.json "imports"): tfjs-core's gradient registrations
 * and chained ops — a bundle built by scripts/bundle-tfjs-extras.mjs for Node,
 * tfjs-core's own ESM files for bundlers. Imported only for its side effects.
 */
declare module '#tfjs-extras' {}
