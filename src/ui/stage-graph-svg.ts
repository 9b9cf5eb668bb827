import type dagreModule from '@dagrejs/dagre';
import { createRequire } from 'node:module';

/** @dagrejs/dagre (CommonJS), required when a page first draws a graph, not when kindling is imported. */
let dagre: typeof dagreModule | null = null;
import type { StageState } from '../events/app-state.js';
import { html, type Html } from './html.js';

const BOX_WIDTH = 220;
const BOX_HEIGHT = 48;
/** Characters of a stage label shown in its box (the full label is in the table and the box's title). */
const LABEL_CHARS_MAX = 30;

/** Space around the drawing and between ranks and boxes, in px. */
const MARGIN = 10;
const RANK_GAP = 60;
const NODE_GAP = 16;

/**
 * A job's stages as a graph drawn in SVG, parents left of children: an edge joins the stage that writes a shuffle
 * to each stage that reads it. The layout is @dagrejs/dagre's (ranks, crossing reduction, edge routing), computed
 * here on the server: the page arrives with the graph drawn, identical in the live and the history view, and
 * needs no script. Every label is escaped text.
 */
export function stageGraphSvg(stages: readonly StageState[], stageHref: (stageId: number) => string): Html {
  if (stages.length === 0) return html`<p>No stages yet.</p>`;
  const writers = new Map<number, StageState>();
  for (const stage of stages) if (stage.writesShuffle !== null) writers.set(stage.writesShuffle, stage);
  dagre ??= createRequire(import.meta.url)('@dagrejs/dagre') as typeof dagreModule;
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: 'LR', marginx: MARGIN, marginy: MARGIN, ranksep: RANK_GAP, nodesep: NODE_GAP });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const stage of stages) graph.setNode(String(stage.stageId), { width: BOX_WIDTH, height: BOX_HEIGHT });
  for (const stage of stages) {
    for (const shuffleId of stage.readsShuffles) {
      const writer = writers.get(shuffleId);
      if (writer !== undefined && writer.stageId !== stage.stageId) {
        graph.setEdge(String(writer.stageId), String(stage.stageId));
      }
    }
  }
  dagre.layout(graph);
  const { width = 0, height = 0 } = graph.graph();
  const edges = graph.edges().map((edge: { v: string; w: string }) => {
    const points = (graph.edge(edge) as { points: { x: number; y: number }[] }).points;
    return html`<polyline
      points="${points.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ')}"
      fill="none"
      stroke="#667"
      marker-end="url(#arrow)"
    />`;
  });
  const topLeft = (stageId: number) => {
    const node = graph.node(String(stageId));
    return { x: node.x - BOX_WIDTH / 2, y: node.y - BOX_HEIGHT / 2 };
  };
  const boxes = stages.map((stage) => {
    const { x, y } = topLeft(stage.stageId);
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
    data-layout="dagre"
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
