/**
 * The text output committer (`saveAsTextFile`, `ds.write`), loaded at the first save rather than with every
 * Context (issue 11): most programs never write files. Loaded synchronously, so a save's checks and its staging
 * folder happen in the same turn as before, with no `await` that `kc.stop()` could come between.
 */
import { onFirstUse } from '../../common/require-esm.js';
import type * as TextOutput from '../../io/text/text-output.js';

/**
 * The `io/text/text-output.js` module, loaded at the first call.
 *
 * @example
 * const committer = new (textOutput().TextOutputCommitter)(dir, { overwrite: false, partSuffix: '' });
 */
export const textOutput = onFirstUse<typeof TextOutput>(import.meta.resolve('../../io/text/text-output.js'));
