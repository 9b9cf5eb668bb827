/**
 * Text of columnar plans for `Dataset.explain()` and for default column names: stable, one operator per line,
 * stages listed from the result back to the sources (as Spark prints physical plans).
 */
import type {
  AggregateSpec,
  ColumnExpr,
  LiteralValue,
  ColumnarOp,
  ColumnarSink,
  ColumnarStage,
  SortKey,
} from '../protocol/columnar.js';
import type { WindowOp } from '../protocol/columnar-window.js';
import { describePartitioner } from './partitioner.js';
import type { PlanNode, ShuffleDependency, SourceNode } from './plan-node.js';

/**
 * Extra lines under a source a stage reads directly (what a file scan reads and skips for this stage), given by
 * the caller: the judgement needs the engine's literal parsing, which lives below the plan layer.
 */
export type DescribeScan = (source: SourceNode, stage: ColumnarStage | null) => readonly string[];

/**
 * An expression as text, also its default output name: `col` is its name, functions read as calls.
 *
 * @example
 * describeExpr({ kind: 'lower', arg: { kind: 'col', name: 'w' } }); // 'lower(w)'
 */
export function describeExpr(expr: ColumnExpr): string {
  switch (expr.kind) {
    case 'col':
      return expr.name;
    case 'lit':
      return describeLiteral(expr.value);
    case 'binary':
      return `(${describeExpr(expr.left)} ${expr.op} ${describeExpr(expr.right)})`;
    case 'not':
      return `not(${describeExpr(expr.arg)})`;
    case 'lower':
      return `lower(${describeExpr(expr.arg)})`;
    case 'length':
      return expr.unit === 'utf16'
        ? `length(${describeExpr(expr.arg)})`
        : `length(${describeExpr(expr.arg)}, code-points)`;
    case 'is-null':
      return `${expr.negated ? 'isNotNull' : 'isNull'}(${describeExpr(expr.arg)})`;
    case 'cast':
      return `cast(${describeExpr(expr.arg)} as ${expr.to})`;
    case 'coalesce':
      return `coalesce(${expr.args.map(describeExpr).join(', ')})`;
    case 'when': {
      const branches = expr.branches.map((b) => `when ${describeExpr(b.when)} then ${describeExpr(b.then)}`);
      const otherwise = expr.otherwise === null ? '' : ` else ${describeExpr(expr.otherwise)}`;
      return `case ${branches.join(' ')}${otherwise} end`;
    }
    case 'in':
      return `(${describeExpr(expr.arg)} in (${expr.values.map(describeLiteral).join(', ')}))`;
    case 'call': {
      // Parameters left null (a default: log's base e, substring's whole rest) are not printed.
      const params = expr.params.filter((p) => p !== null).map(describeLiteral);
      return `${expr.fn}(${[...expr.args.map(describeExpr), ...params].join(', ')})`;
    }
    case 'split-to-rows':
      return expr.separator === null
        ? `splitToRows(${describeExpr(expr.arg)})`
        : `splitToRows(${describeExpr(expr.arg)}, ${JSON.stringify(expr.separator)})`;
  }
}

function describeLiteral(value: LiteralValue): string {
  if (typeof value === 'string') return JSON.stringify(value);
  return typeof value === 'bigint' ? `${value}L` : String(value);
}

function describeAggregates(aggregates: readonly AggregateSpec[]): string {
  return aggregates
    .map((a) => {
      const args = a.column === null ? [] : [a.column, ...(a.others ?? [])];
      if (a.quantile !== undefined) args.push(String(a.quantile));
      if (a.ignoreNulls === true) args.push('ignoreNulls');
      const call = `${a.fn}(${args.join(', ')})`;
      return call === a.name ? call : `${call} as ${a.name}`;
    })
    .join(', ');
}

function describeOp(op: ColumnarOp): string {
  switch (op.kind) {
    case 'select':
      return `select ${op.columns.map((c) => named(c.expr, c.name)).join(', ')}`;
    case 'with-column':
      return `withColumn ${op.column.name} = ${describeExpr(op.column.expr)}`;
    case 'filter':
      return `filter ${describeExpr(op.predicate)}`;
    case 'final-aggregate':
      return `merge partial aggregates by [${op.keys.join(', ')}]: ${describeAggregates(op.aggregates)}`;
    case 'sort':
      return `sort by ${op.keys.map(describeSortKey).join(', ')}`;
    case 'limit':
      return `limit ${op.n}`;
    case 'dedupe':
      return `keep the first row of each distinct ${op.keys.length === 0 ? 'row' : `[${op.keys.join(', ')}]`}`;
    case 'join': {
      const { how, leftKeys, rightKeys, build, strategy } = op.join;
      const on =
        how === 'cross'
          ? ''
          : ` on [${leftKeys.map((k, i) => (k === rightKeys[i] ? k : `${k} = ${rightKeys[i]}`)).join(', ')}]`;
      const share =
        strategy === 'co-located-hash' ? `, each task keeps its key-hash share of every block of both sides` : '';
      return `${strategy} join ${how}${on}, build side ${build} (typed-array hash table)${share}`;
    }
    case 'conform':
      return `conform the ${op.side} side to the union's columns (by ${op.byName ? 'name' : 'position'}${op.allowMissingColumns ? ', missing ones null' : ''})`;
    case 'rename':
      return `rename ${op.from} to ${op.to}`;
    case 'replace':
      return `replace ${op.pairs.map((p) => `${JSON.stringify(p.from)} -> ${JSON.stringify(p.to)}`).join(', ')} in ${op.columns === null ? 'every column' : op.columns.join(', ')}`;
    case 'unpivot':
      return `unpivot [${op.values.join(', ')}] into ${op.variable}, ${op.value} by [${op.ids.join(', ')}]`;
    case 'rename-all':
      return `rename the columns to ${op.names.join(', ')}`;
    case 'hint':
      return `hint ${op.name} (a join reading these rows broadcasts them)`;
    case 'set-operation':
      return `${op.how.replace('-', ' ')}: the left's rows by how many of each distinct row each side has`;
    case 'window':
      return describeWindow(op);
    case 'window-group-limit': {
      const { partitionBy, orderBy } = op.window;
      return (
        `window group limit: ${op.fn}() <= ${op.limit} per partitionBy [${partitionBy.join(', ')}] orderBy ` +
        `[${orderBy.map(describeSortKey).join(', ')}] (map side, over the task's rows: fewer rows to shuffle)`
      );
    }
    case 'drop':
      return `drop ${op.names.join(', ')}`;
    case 'sample':
      if (op.lower !== undefined) return `randomSplit: rows drawn in [${op.lower}, ${op.fraction}) (seed ${op.seed})`;
      return `sample ${op.fraction}${op.withReplacement ? ' with replacement' : ''} (seed ${op.seed})`;
    case 'drop-nulls': {
      const over = op.columns === null ? 'every column' : op.columns.join(', ');
      const rule = op.minValues === 'all-columns' ? 'any null or NaN' : `fewer than ${op.minValues} values`;
      return `dropna: rows with ${rule} in ${over}`;
    }
    case 'fill-nulls':
      return `fillna ${op.fills.map((f) => `${f.column ?? '*'} = ${typeof f.value === 'string' ? `'${f.value}'` : String(f.value)}`).join(', ')}`;
  }
}

function describeWindow(op: WindowOp): string {
  const { partitionBy, orderBy } = op.window;
  const fns = op.columns.map(({ name, fn }) => {
    const call =
      fn.kind === 'aggregate'
        ? `${fn.fn}(${fn.column ?? ''})${fn.rows === undefined ? '' : ` over rows ${describeRows(fn.rows.start, 'preceding')} to ${describeRows(fn.rows.end, 'following')}`}`
        : fn.kind === 'lag' || fn.kind === 'lead'
          ? `${fn.kind}(${fn.column}, ${fn.offset}, ${describeLiteral(fn.default)})`
          : `${fn.kind}()`;
    return `${call} as ${name}`;
  });
  const frame = orderBy.length === 0 ? 'whole partition' : 'range unbounded preceding to current row';
  return (
    `window over partitionBy [${partitionBy.join(', ')}] orderBy [${orderBy.map(describeSortKey).join(', ')}]` +
    ` (sorted per task, frame: ${frame}): ${fns.join(', ')}`
  );
}

function describeRows(offset: number | null, unbounded: string): string {
  if (offset === null) return `unbounded ${unbounded}`;
  if (offset === 0) return 'current row';
  return offset < 0 ? `${-offset} preceding` : `${offset} following`;
}

function describeSortKey(key: SortKey): string {
  const nullsFirst = key.nullsFirst ?? key.ascending;
  // The default placement (first for asc, last for desc) prints as before; only an explicit other one is named.
  const nulls = nullsFirst === key.ascending ? '' : nullsFirst ? ' nulls first' : ' nulls last';
  return `${key.name} ${key.ascending ? 'asc' : 'desc'}${nulls}`;
}

function named(expr: ColumnExpr, name: string): string {
  const text = describeExpr(expr);
  return text === name ? text : `${text} as ${name}`;
}

function describeSink(sink: ColumnarSink): string {
  switch (sink.kind) {
    case 'rows':
      return 'rows';
    case 'partial-aggregate':
      return `partial aggregate by [${sink.keys.join(', ')}] in a typed-array hash table: ${describeAggregates(sink.aggregates)}`;
    case 'gather':
      return 'gather every row into one partition';
    case 'hash-partition':
      if (sink.excluded !== undefined && sink.keys.length === 0) {
        return `hash-partition rows by every column but [${sink.excluded.join(', ')}]`;
      }
      return `hash-partition rows by ${sink.keys.length === 0 ? 'every column' : `[${sink.keys.join(', ')}]`}`;
    case 'range-partition':
      return `range-partition rows by ${sink.keys.map(describeSortKey).join(', ')} (bounds from a sample of the keys)`;
  }
}

/** The columnar stage of a plan node, if it is one. */
export function columnarStageOf(node: PlanNode): ColumnarStage | null {
  return node.kind === 'narrow' && node.op.kind === 'builtin' && node.op.op.name === 'columnar'
    ? node.op.op.stage
    : null;
}

/**
 * The vectorized plan ending at `node` (a columnar stage), from the result stage back to the sources.
 *
 * @example
 * explainColumnar(node);
 * // == vectorized plan ==
 * // stage 1 (result, 4 tasks)
 * //   read shuffle 0 (hash(4) over the UTF-8 bytes / values of the keys)
 * //   merge partial aggregates by [word]: count() as count
 * // …
 */
export function explainColumnar(node: PlanNode, describeScan?: DescribeScan): string {
  const stages: string[][] = [];
  const visit = (current: PlanNode, role: string) => {
    const lines: string[] = [];
    stages.push(lines);
    const stage = columnarStageOf(current);
    let input = current;
    if (stage !== null && current.kind === 'narrow') input = current.parent;
    const persisted = current.persisted ? ', persisted: jobs read its cached partitions' : '';
    lines.push(`(${role}, ${current.numPartitions} task${current.numPartitions === 1 ? '' : 's'}${persisted})`);
    const deeper: (() => void)[] = [];
    const readShuffle = (dependency: ShuffleDependency, side: string) => {
      lines.push(
        `  read shuffle ${dependency.shuffleId}${side} (${describePartitioner(dependency.partitioner)} by ${dependency.partitioner.kind === 'range' ? 'sampled key ranges' : 'key hash'})`,
      );
      deeper.push(() => visit(dependency.parent, `shuffle map, writes shuffle ${dependency.shuffleId}`));
    };
    if (input.kind === 'shuffled') {
      readShuffle(input.dependency, '');
    } else if (input.kind === 'cogroup') {
      input.inputs.forEach((side, i) => {
        const name = i === 0 ? ' (left)' : ' (right)';
        if (side.kind === 'shuffle') readShuffle(side.dependency, name);
        else {
          lines.push(`  read [${side.parent.id}] ${side.parent.label}${name}`);
          deeper.push(() => visit(side.parent, `input${name}`));
        }
      });
    } else if (input.kind === 'cartesian') {
      for (const [side, name] of [
        [input.left, 'left'],
        [input.right, 'right'],
      ] as const) {
        if (side.kind === 'shuffled') readShuffle(side.dependency, ` (${name}, every row to every task)`);
        else {
          lines.push(`  read the ${name} side's partition: [${side.id}] ${side.label}`);
          deeper.push(() => visit(side, `${name} side, in the same stage`));
        }
      }
    } else if (input.kind === 'coalesce') {
      const parent = input.parent;
      const per = input.groups[0]?.length ?? 0;
      lines.push(`  read [${parent.id}] ${parent.label}, ${per} partition${per === 1 ? '' : 's'} per task`);
      deeper.push(() => visit(parent, 'its input, in the same stage'));
    } else if (input.kind === 'union') {
      for (const [i, side] of input.parents.entries()) {
        lines.push(`  read the union's side ${i + 1}: [${side.id}] ${side.label}`);
        deeper.push(() => visit(side, `union side ${i + 1}, in the same stage`));
      }
    } else if (columnarStageOf(input) !== null) {
      lines.push(`  read [${input.id}] ${input.label}`);
      deeper.push(() => visit(input, 'its input, in the same stage'));
    } else if (input.kind === 'source') {
      lines.push(`  ${input.label} ${input.description}`);
      for (const line of describeScan?.(input, stage) ?? []) lines.push(`    ${line}`);
    } else {
      lines.push(`  records of RDD [${input.id}] ${input.label} (converted to columns)`);
    }
    if (stage !== null) {
      for (const op of stage.ops) lines.push(`  ${describeOp(op)}`);
      lines.push(`  → ${describeSink(stage.sink)}`);
    }
    for (const next of deeper) next();
  };
  visit(node, 'result');
  const out = ['== vectorized plan =='];
  stages.forEach((lines, i) => {
    out.push(`stage ${stages.length - 1 - i} ${lines[0]}`, ...lines.slice(1));
  });
  return out.join('\n');
}
