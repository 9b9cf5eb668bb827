import { PlanError } from '../common/errors.js';
import { describeValue } from '../common/describe-value.js';

/**
 * A user function that lives in an ES module, for code that needs imports: workers `import()` the module once and
 * call its export. Created by the api's `kc.fn(url, exportName)`; `shipFunction` ships it as kind `'module'`.
 *
 * @example
 * const parse = new ModuleFunction(new URL('./udf.js', import.meta.url), 'parse');
 * rdd.map(parse);
 */
export class ModuleFunction {
  /** The module's `file:` URL, as a string. */
  readonly moduleUrl: string;
  /** The name of the exported function (`'default'` for a default export). */
  readonly exportName: string;

  /** Throws a `PlanError` ('ERR_PLAN_INVALID_ARGUMENT') unless `moduleUrl` is a `file:` URL and `exportName` is non-empty. */
  constructor(moduleUrl: string | URL, exportName: string) {
    let url: URL | undefined;
    try {
      url = typeof moduleUrl === 'string' || moduleUrl instanceof URL ? new URL(moduleUrl) : undefined;
    } catch {
      url = undefined;
    }
    if (url === undefined || url.protocol !== 'file:') {
      // Workers import by URL with no base to resolve against, so relative paths and bare names are ambiguous.
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `kc.fn() expects a file: URL of a module, such as new URL('./udf.js', import.meta.url), found ${describeValue(moduleUrl)}`,
      );
    }
    if (typeof exportName !== 'string' || exportName.length === 0) {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `kc.fn() expects the name of an exported function as its second argument, found ${describeValue(exportName)}`,
      );
    }
    this.moduleUrl = url.href;
    this.exportName = exportName;
  }
}
