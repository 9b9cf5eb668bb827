/** Types that the `Dataset` class and the files holding its verbs share. */
import type { PlanNode } from '../../plan/plan-node.js';
import type { RDD } from '../rdd/rdd.js';

/** A row of a dataset, as `collect()` returns it. */
export type Row = Record<string, unknown>;

/** Makes the RDD over a plan node (passed in so `dataset.ts` does not import `rdd/rdd.ts`, which imports it). */
export type RddFactory = (node: PlanNode) => RDD<Row>;
