import type { StageState } from '../events/app-state.js';
import { html, type Html } from './html.js';

const BOX_WIDTH = 220;
const BOX_HEIGHT = 48;
const GAP_X = 60;
const GAP_Y = 16;
/** Characters of a stage label shown in its box (the full label is in the table and the box's title). */
const LABEL_CHARS_MAX = 30;

/**
 * A job's stages as a graph drawn in SVG, parents left of children: an edge joins the stage that writes a shuffle
 * to each stage that reads it. The layout is layered (column = longest path from a stage without parents, rows in
 * submission order): a job's stage graph is a small DAG, and this keeps the page free of a layout library and of
 * scripts. Every label is escaped text.
 */
export function stageGraphSvg(stages: readonly StageState[], stageHref: (stageId: number) => string): Html {
  if (stages.length === 0) return html`<p>No stages yet.</p>`;
  const writers = new Map<number, StageState>();
  for (const stage of stages) if (stage.writesShuffle !== null) writers.set(stage.writesShuffle, stage);
  const parents = new Map<number, StageState[]>();
  for (const stage of stages) {
    const found = stage.readsShuffles.flatMap((shuffleId) => {
      const writer = writers.get(shuffleId);
      return writer !== undefined && writer.stageId !== stage.stageId ? [writer] : [];
    });
    parents.set(stage.stageId, found);
  }
  const column = new Map<number, number>();
  const columnOf = (stage: StageState, depth: number): number => {
    const known = column.get(stage.stageId);
    if (known !== undefined) return known;
    // A resubmitted stage writes a shuffle an earlier stage of the job wrote too; depth bounds any such loop.
    const ps = depth > stages.length ? [] : parents.get(stage.stageId)!;
    const c = ps.length === 0 ? 0 : 1 + Math.max(...ps.map((p) => columnOf(p, depth + 1)));
    column.set(stage.stageId, c);
    return c;
  };
  const rows = new Map<number, number>();
  const position = new Map<number, { x: number; y: number }>();
  for (const stage of stages) {
    const c = columnOf(stage, 0);
    const r = rows.get(c) ?? 0;
    rows.set(c, r + 1);
    position.set(stage.stageId, { x: 10 + c * (BOX_WIDTH + GAP_X), y: 10 + r * (BOX_HEIGHT + GAP_Y) });
  }
  const width = 20 + (Math.max(...column.values()) + 1) * (BOX_WIDTH + GAP_X) - GAP_X;
  const height = 20 + Math.max(...rows.values()) * (BOX_HEIGHT + GAP_Y) - GAP_Y;
  const edges = stages.flatMap((stage) =>
    parents.get(stage.stageId)!.map((parent) => {
      const from = position.get(parent.stageId)!;
      const to = position.get(stage.stageId)!;
      return html`<line
        x1="${from.x + BOX_WIDTH}"
        y1="${from.y + BOX_HEIGHT / 2}"
        x2="${to.x}"
        y2="${to.y + BOX_HEIGHT / 2}"
        stroke="#667"
        marker-end="url(#arrow)"
      />`;
    }),
  );
  const boxes = stages.map((stage) => {
    const { x, y } = position.get(stage.stageId)!;
    const fill = stage.status === 'failed' ? '#fdd' : stage.status === 'running' ? '#ffe9c7' : '#dfe9ff';
    const label = stage.label.length > LABEL_CHARS_MAX ? `${stage.label.slice(0, LABEL_CHARS_MAX - 1)}…` : stage.label;
    return html`<a href="${stageHref(stage.stageId)}"
      ><g
        ><title>${stage.chain}</title>
        <rect x="${x}" y="${y}" width="${BOX_WIDTH}" height="${BOX_HEIGHT}" rx="6" fill="${fill}" stroke="#557" />
        <text x="${x + 8}" y="${y + 18}">Stage ${stage.stageId} · ${stage.succeeded}/${stage.tasksTotal} tasks</text>
        <text x="${x + 8}" y="${y + 36}">${label}</text></g
      ></a
    >`;
  });
  return html`<svg
    class="dag"
    xmlns="http://www.w3.org/2000/svg"
    width="${width}"
    height="${height}"
    role="img"
    aria-label="stage graph"
  >
    <defs>
      <marker
        id="arrow"
        viewBox="0 0 10 10"
        refX="10"
        refY="5"
        markerWidth="8"
        markerHeight="8"
        orient="auto-start-reverse"
      >
        <path d="M0,0 L10,5 L0,10 z" fill="#667" />
      </marker>
    </defs>
    ${edges}${boxes}
  </svg>`;
}
